#!/usr/bin/env bash
# Benchmarks of client search and the client list (bench/): generate N synthetic clients, then
# time the pages, on SQLite and, when PostgreSQL is installed, on a throwaway cluster.
# BENCH_CLIENTS (default 100000), BENCH_EVENTS (casework events a client, default 10) and
# BENCH_REPEAT (default 30) change the size and the runs.
# Results go to bench/results/<database>-<clients>.md (and .json); docs/performance.md sums them up.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
clients=${BENCH_CLIENTS:-100000}
repeat=${BENCH_REPEAT:-30}
events=${BENCH_EVENTS:-10}
mkdir -p bench/results
# Production-like: no DEBUG query recording; a throwaway key, since DEBUG is off.
export DEBUG=false SECRET_KEY=benchmark-only-secret-key
export AUDIT_CHAIN_KEY=benchmark-only-audit-chain-key FIELD_ENCRYPTION_KEYS=YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA= BLIND_INDEX_KEY=YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA=

bench() {
  local name=$1
  $PY manage.py migrate --noinput --verbosity 0
  $PY bench/generate.py --clients "$clients"
  # Case histories for those clients (issue 9): contacts, plans, referrals, deadlines, reads...
  $PY bench/events.py --events-per-client "$events"
  $PY bench/run.py --repeat "$repeat" --out "bench/results/$name-$clients.md"
  $PY bench/compensation.py --out "bench/results/compensation-$name-$clients.md"
  $PY bench/exports.py --out "bench/results/exports-$name-$clients.md"
  $PY bench/pages.py --repeat "$repeat" --out "bench/results/pages-$name-$clients.md"
}

if [ "${BENCH_SKIP_SQLITE:-}" != "true" ]; then
  echo "== SQLite, $clients clients"
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  DATABASE_URL="sqlite:///$dir/bench.sqlite3" bench sqlite
fi

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== PostgreSQL, $clients clients"
  export -f bench
  export PY clients repeat events
  bash scripts/with_postgres.sh bash -c 'bench postgresql'
else
  echo "PostgreSQL is not installed: benchmarked SQLite only (sudo apt-get install postgresql)."
fi
