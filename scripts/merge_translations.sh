#!/usr/bin/env bash
# Fold translation fragments (locale/fragments/*.po, written by parallel work on one issue) into
# the Indonesian catalogue, then re-extract and compile. Existing translations in the catalogue
# win over a fragment; a fragment fills the msgids the catalogue has left empty. Merged
# fragments are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CATALOG=locale/id/LC_MESSAGES/django.po
extract() {
    $PY manage.py makemessages --no-obsolete -l id -l en --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' >/dev/null
}
extract
shopt -s nullglob
fragments=(locale/fragments/*.po)
if [ ${#fragments[@]} -gt 0 ]; then
    tmp=$(mktemp)
    msgcat --use-first --no-wrap "$CATALOG" "${fragments[@]}" -o "$tmp"
    mv "$tmp" "$CATALOG"
    extract # drops what the fragments held that no template or module uses
    rm -f "${fragments[@]}"
    echo "merged ${#fragments[@]} fragment(s) into $CATALOG"
fi
$PY manage.py compilemessages --ignore='.venv/*' >/dev/null
untranslated=$(msgattrib --untranslated --no-obsolete "$CATALOG" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$CATALOG" | grep -c '^msgid ' || true)
echo "$CATALOG: $((untranslated > 0 ? untranslated - 1 : 0)) untranslated, $((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy"
