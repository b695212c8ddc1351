# Hemkommun: `make run` serves the demo region, `make test` runs lint and the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test lint setup system-packages system-packages-run messages bench load clean

run: system-packages-run setup
	@test -f .env || printf 'DEBUG=true\n' > .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "Hemkommun on http://127.0.0.1:8000 (background jobs log to var/qcluster.log)"
	bash scripts/run_dev.sh

test: system-packages setup lint
	bash scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r hemkommun -ll
	bash scripts/check_messages.sh

system-packages:
	bash scripts/system_packages.sh test

system-packages-run:
	bash scripts/system_packages.sh run

setup: $(VENV)/.installed node_modules/.installed var/vendor/.built messages

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

var/vendor/.built: node_modules/.installed scripts/build_assets.mjs
	npm run --silent build
	touch $@

# Compiled catalogues are build output, made from the .po files on every setup.
messages: $(VENV)/.installed
	cd hemkommun && ../$(VENV)/bin/django-admin compilemessages --verbosity 0

bench: setup
	bash scripts/bench.sh

load: setup
	bash scripts/load.sh

clean:
	rm -rf $(VENV) node_modules var
