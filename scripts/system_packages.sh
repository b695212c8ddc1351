#!/usr/bin/env bash
# Installs the Debian packages the tests need when run as root; otherwise says what to install.
# PostgreSQL is optional for a developer (the suite then runs on SQLite only) but required in CI.
set -euo pipefail

declare -A needed=(
  [msgfmt]=gettext
  [chromium]=chromium
)
missing=()
for command in "${!needed[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needed[$command]}")
done
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
if [ "${CI:-}" = "true" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
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
