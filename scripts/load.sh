#!/usr/bin/env bash
# Load test of issue 9 (make load): LOAD_USERS staff (default 50) working normally
# (bench/locustfile.py) against gunicorn and a throwaway PostgreSQL cluster on loopback, for
# LOAD_TIME (default 3m), with LOAD_CLIENTS synthetic clients (default 100000, bench/generate.py);
# staff start LOAD_SPAWN_RATE a second (default 2), as a morning does, not all in one second.
# Results: bench/results/load-<clients>.md (and locust's CSV files). Fails when any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "The load test needs PostgreSQL: sudo apt-get install postgresql" >&2
  exit 1
fi
.venv/bin/python -m pip install --quiet -r requirements/bench.txt
mkdir -p bench/results
# Production settings on plain http over loopback; benchmark-only keys.
export DEBUG=false SECRET_KEY=benchmark-only-secret-key AUDIT_CHAIN_KEY=benchmark-only-audit-chain-key \
  FIELD_ENCRYPTION_KEYS=YmVuY2htYXJrLW9ubHktZmllbGQta2V5LTAwMDAwMDA= \
  BLIND_INDEX_KEY=YmVuY2htYXJrLW9ubHktYmxpbmQtaW5kZXgta2V5LTA= \
  SECURE_COOKIES=false ALLOWED_HOSTS=127.0.0.1
export LOAD_CLIENTS=${LOAD_CLIENTS:-100000} LOAD_USERS=${LOAD_USERS:-50} LOAD_TIME=${LOAD_TIME:-3m} \
  LOAD_WORKERS=${LOAD_WORKERS:-4} LOAD_SPAWN_RATE=${LOAD_SPAWN_RATE:-2}

run_load() {
  local py=.venv/bin/python result="bench/results/load-$LOAD_CLIENTS"
  $py manage.py migrate --noinput --verbosity 0
  $py bench/generate.py --clients "$LOAD_CLIENTS"
  $py bench/load_staff.py --staff "$LOAD_USERS"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  .venv/bin/gunicorn hemkommun.config.wsgi --workers "$LOAD_WORKERS" --bind "127.0.0.1:$port" \
    --preload --error-logfile "$result.gunicorn.log" &
  local server=$!
  trap 'kill $server 2>/dev/null || true' RETURN
  for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
    sleep 0.2
  done
  local status=0
  LOAD_TIMES_FILE="$result-times.json" .venv/bin/locust -f bench/locustfile.py --headless \
    --users "$LOAD_USERS" --spawn-rate "$LOAD_SPAWN_RATE" \
    --run-time "$LOAD_TIME" --host "http://127.0.0.1:$port" --csv "$result" --only-summary || status=$?
  $py bench/load_report.py "$result" --users "$LOAD_USERS" --out "$result.md"
  return $status
}
export -f run_load
bash scripts/with_postgres.sh bash -c run_load
