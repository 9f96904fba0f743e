#!/usr/bin/env bash
# S23: `manage.py check --deploy` must be clean under the production settings, with real-looking
# secrets generated for this run (never the demo ones, which production refuses to start with).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}

# Fresh keys exactly as an operator makes them (`manage.py generate_keys`), generated under the
# demo settings so that nothing here depends on a production environment being present.
mapfile -t keys < <(DJANGO_SETTINGS_MODULE=config.settings.base "$py" manage.py generate_keys | grep -v '^#')
if [ "${#keys[@]}" -ne 3 ]; then
    echo "check_deploy: generate_keys printed ${#keys[@]} keys, expected 3" >&2
    exit 1
fi
var_dir=$(mktemp -d)
trap 'rm -rf "$var_dir"' EXIT

# A clean environment: only what a production host would set. The database is never reached
# by `check --deploy`; the URL only has to be a PostgreSQL one.
env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 \
    "${keys[@]}" \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    ALLOWED_HOSTS=aduan.example.go.id \
    CSRF_TRUSTED_ORIGINS=https://aduan.example.go.id \
    ADUAN_SITE_URL=https://aduan.example.go.id \
    DATABASE_URL=postgres://aduan:unused@127.0.0.1:5432/aduan \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    ADUAN_VAR_DIR="$var_dir" \
    "$py" manage.py check --deploy --fail-level WARNING
echo "check --deploy: clean under config.settings.production (S23)"
