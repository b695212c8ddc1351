#!/usr/bin/env bash
# The development server with the background job cluster beside it (deadline reminders);
# stopping the server (Ctrl-C) stops the cluster too.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var
$PY manage.py qcluster > var/qcluster.log 2>&1 &
cluster=$!
trap 'kill "$cluster" 2>/dev/null || true' EXIT
$PY manage.py runserver 127.0.0.1:8000
