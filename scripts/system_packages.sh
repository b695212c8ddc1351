#!/usr/bin/env bash
# Installs the Debian packages Hemkommun needs when run as root; otherwise says what to install.
#   system_packages.sh run    what `make run` needs: venv support, gettext, and Pango with the Noto
#                             fonts for WeasyPrint's PDFs (Latin, Cyrillic, Arabic script, Ethiopic)
#   system_packages.sh test   also chromium for the browser tests; PostgreSQL under CI=true
# PostgreSQL is optional for a developer (the suite then runs on SQLite only) but required in CI.
set -euo pipefail
profile=${1:-test}

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# WeasyPrint loads Pango at run time; harfbuzz-subset makes its font subsets (smaller PDFs).
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core; do
  installed "$package" || missing+=("$package")
done
if [ "$profile" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
