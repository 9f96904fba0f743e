#!/usr/bin/env bash
# Fold translation fragments (locale/fragments/*.po → Indonesian, locale/fragments/en/*.po →
# English; written by parallel work on one issue) into the catalogues, then re-extract and compile. Existing translations in the catalogue
# win over a fragment; a fragment fills the msgids the catalogue has left empty. Merged
# fragments are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
extract() {
    $PY manage.py makemessages --no-obsolete -l id -l en --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' >/dev/null
}
extract
shopt -s nullglob
merged=0
for lang in id en; do
    catalog=locale/$lang/LC_MESSAGES/django.po
    if [ "$lang" = id ]; then fragments=(locale/fragments/*.po); else fragments=(locale/fragments/$lang/*.po); fi
    if [ ${#fragments[@]} -gt 0 ]; then
        tmp=$(mktemp)
        msgcat --use-first --no-wrap "$catalog" "${fragments[@]}" -o "$tmp"
        mv "$tmp" "$catalog"
        rm -f "${fragments[@]}"
        merged=1
        echo "merged ${#fragments[@]} fragment(s) into $catalog"
    fi
done
if [ $merged = 1 ]; then
    extract # drops what the fragments held that no template or module uses
fi
CATALOG=locale/id/LC_MESSAGES/django.po
$PY manage.py compilemessages --ignore='.venv/*' >/dev/null
untranslated=$(msgattrib --untranslated --no-obsolete "$CATALOG" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$CATALOG" | grep -c '^msgid ' || true)
echo "$CATALOG: $((untranslated > 0 ? untranslated - 1 : 0)) untranslated, $((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy"
