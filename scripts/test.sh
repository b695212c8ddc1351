#!/usr/bin/env bash
# The whole suite on SQLite, then again on a throwaway PostgreSQL cluster when PostgreSQL is
# installed. Under CI=true a missing PostgreSQL or any skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== test suite on SQLite"
DATABASE_URL="sqlite:///$(mktemp -d)/test.sqlite3" $PY -m pytest "$@"

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== test suite on PostgreSQL"
  bash scripts/with_postgres.sh $PY -m pytest "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not installed, and CI=true allows no skipping." >&2
  exit 1
else
  echo "PostgreSQL is not installed: the suite ran on SQLite only (sudo apt-get install postgresql)."
fi
