# Two commands for a new user: `make run` (install, migrate, demo content, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
# Use the machine's uv when there is one; otherwise bootstrap a private copy in .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test e2e lint bench requirements clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(PY) requirements.txt
	npm install --no-audit --no-fund --loglevel=error

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Forebyg kører på http://$(HOST):$(PORT)/  (stop med Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

e2e: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Benchmarks on the production path (gunicorn, PostgreSQL, Redis, Celery) with references measured in the
# same run; writes docs/benchmarks.md and docs/benchmarks.json (~15 minutes, unattended; not run in CI).
bench: install
	bench/run.sh

# Re-pin the whole dependency tree after changing pyproject.toml (versions and hashes, no addresses).
requirements: $(UV)
	$(UV) pip compile --quiet pyproject.toml --extra dev --no-emit-index-url --no-header -o requirements.txt

clean:
	rm -rf $(VENV) .tools node_modules var db.sqlite3
