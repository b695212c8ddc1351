#!/usr/bin/env bash
# The whole suite on SQLite and, at the same time, again on a throwaway PostgreSQL cluster when
# PostgreSQL is installed. The browser tests run once, on SQLite: they drive the pages, and the
# database behind them is the same code the PostgreSQL pass already covers. The long walks and
# renderings marked one_pass (the attack suite, schemathesis, PDFs, the deploy check) run once
# too, on PostgreSQL: the production database. Running the two passes side by side keeps the
# suite well inside 15 minutes on a 2-core machine. Without PostgreSQL, SQLite runs everything.
# Under CI=true a missing PostgreSQL or any skipped test fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  with_postgres=true
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not installed, and CI=true allows no skipping." >&2
  exit 1
else
  with_postgres=false
fi

if [ "$with_postgres" = true ]; then
  echo "== test suite on SQLite and PostgreSQL, side by side"
else
  echo "== test suite on SQLite"
fi
sqlite_only=()
if [ "$with_postgres" = true ]; then
  sqlite_only=(-m "not one_pass")
fi
DATABASE_URL="sqlite:///$logs/test.sqlite3" $PY -m pytest "${sqlite_only[@]}" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
if [ "$with_postgres" = true ]; then
  bash scripts/with_postgres.sh $PY -m pytest -m "not browser" "$@" >"$logs/postgresql.log" 2>&1 &
  postgresql_pid=$!
fi

status=0
wait "$sqlite_pid" || status=1
echo "== SQLite"
cat "$logs/sqlite.log"
if [ "$with_postgres" = true ]; then
  wait "$postgresql_pid" || status=1
  echo "== PostgreSQL (browser tests excepted)"
  cat "$logs/postgresql.log"
else
  echo "PostgreSQL is not installed: the suite ran on SQLite only (sudo apt-get install postgresql)."
fi
exit $status
