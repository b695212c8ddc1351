#!/usr/bin/env bash
# Installs the Debian packages Hemkommun needs when run as root; otherwise says what to install.
#   system_packages.sh run    what `make run` needs: venv support and gettext
#   system_packages.sh test   also chromium and fonts for the browser tests; PostgreSQL under CI=true
# PostgreSQL is optional for a developer (the suite then runs on SQLite only) but required in CI.
set -euo pipefail
profile=${1:-test}

missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "$profile" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
  if [ "${CI:-}" = "true" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages. Install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
