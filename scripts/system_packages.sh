#!/usr/bin/env bash
# Installs the Debian packages Hemkommun needs when run as root; otherwise says what to install.
#   system_packages.sh run    what `make run` needs: venv support, gettext, node and npm, and Pango with the Noto
#                             fonts for WeasyPrint's PDFs (Latin, Cyrillic, Arabic script, Ethiopic)
#   system_packages.sh test   also chromium for the browser tests; PostgreSQL under CI=true
# PostgreSQL is optional for a developer (the suite then runs on SQLite only) but required in CI.
set -euo pipefail
profile=${1:-test}

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# node and npm build the front-end assets (`npm ci`); the SSO tests run node-oidc-provider, which needs
# Node.js 20 or later (Debian 12's nodejs is 18: install a newer one, e.g. from NodeSource, if so).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
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
# Checked after any install, since Debian 12's own nodejs would be too old for the SSO tests.
node_new_enough() {
  [ "$profile" != "test" ] || [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] && return 0
  echo "Node.js $(node --version) is too old for the SSO tests' provider: install Node.js 20 or later." >&2
  return 1
}
[ ${#missing[@]} -eq 0 ] && { node_new_enough; exit; }

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages. Install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
node_new_enough
