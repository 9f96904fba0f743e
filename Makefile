# Aduan — `make run` starts the demo, `make test` runs every test. `make help` lists the rest.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run against PostgreSQL (127.0.0.1:5432) by default; DB=sqlite for the embedded database.
DB ?= postgres
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test test-postgres test-sqlite lint typecheck messages bench lock audit-deps check-deploy clean

help: ## Show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies (hashes checked)

run: install ## Set up and start Aduan with the Buton demo data on http://$(HOST):$(PORT)
	HOST=$(HOST) PORT=$(PORT) bin/run

test: install ## Run the whole test suite (DB=postgres|sqlite, default postgres)
	@scripts/ensure_test_tools.sh
	ADUAN_TEST_DB=$(DB) $(PY) -m pytest -n 2 --dist loadgroup --reuse-db $(PYTEST_ARGS)

test-postgres: DB = postgres
test-postgres: test ## The suite on PostgreSQL

test-sqlite: DB = sqlite
test-sqlite: test ## The suite on SQLite

lint: install ## ruff (lint + format check), bandit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r aduan config

typecheck: install ## mypy with the Django plugin
	$(VENV)/bin/mypy aduan config

messages: install ## Extract, merge locale/fragments/*.po, compile translations (locale/id, locale/en)
	PY=$(PY) scripts/merge_translations.sh

bench: install ## Benchmarks (bench/): generate complaints in bulk, time the queues
	$(PY) bench/generate_complaints.py --count 100000 --database sqlite
	$(PY) bench/generate_complaints.py --count 100000 --database postgres

audit-deps: install ## Vulnerability scan of the pinned dependencies (fails when it cannot check)
	$(PY) scripts/audit_dependencies.py

check-deploy: install ## manage.py check --deploy with production settings
	scripts/check_deploy.sh

lock: install ## Re-pin requirements/*.lock from pyproject.toml (needs network)
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -o requirements/main.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements/dev.lock

clean: ## Remove the demo database, the queue and collected files (keeps .venv)
	rm -rf var/
