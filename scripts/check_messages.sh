#!/usr/bin/env bash
# Fails when a user-facing string lacks its Finnish or Swedish translation, or when the .po
# files are out of date with the code (run `make messages-update` and translate).
set -euo pipefail
cd "$(dirname "$0")/../hemkommun"
DEBUG=true ../.venv/bin/python ../manage.py makemessages -l fi -l sv -l en --no-location --no-obsolete --verbosity 0
cd ..
status=0
for language in fi sv; do
  po=hemkommun/locale/$language/LC_MESSAGES/django.po
  untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when anything is left.
  if [ "$untranslated" -gt 1 ] || [ "$fuzzy" -gt 1 ]; then
    echo "$po: $((untranslated > 0 ? untranslated - 1 : 0)) untranslated, $((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy strings" >&2
    msgattrib --untranslated --no-obsolete "$po" | grep '^msgid ' | head -n 20 >&2
    status=1
  fi
done
if [ "${CI:-}" = "true" ] && ! git diff --quiet -I 'POT-Creation-Date' -- hemkommun/locale; then
  echo "The .po files were out of date with the code: run make lint locally and commit them." >&2
  git diff --stat -- hemkommun/locale >&2
  status=1
fi
exit $status
