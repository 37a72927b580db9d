# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run    set up, migrate, load the demo data and serve at http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint migrate seed worker beat bench clean

run: install migrate seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed-run

install:
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(MAKE) --no-print-directory $(VENV)/.installed-run

install-dev:
	PYTHON=$(PYTHON) scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# With REDIS_URL set: a Celery worker and the beat scheduler (see README).
worker: install
	$(VENV)/bin/celery -A greenmfg worker -l info

beat: install
	$(VENV)/bin/celery -A greenmfg beat -l info

# Benchmarks at national scale on a new PostgreSQL database (docs/benchmarks.md): generate the
# data, time the main pages beside their raw SQL, load them through gunicorn with wrk, and time
# the nightly sweeps over 100,000 units. Needs PostgreSQL on 127.0.0.1 and wrk (apt-get install wrk).
BENCH_DB ?= greenmfg_bench
BENCH_UNITS ?= 100000
BENCH_URL := postgres://postgres@127.0.0.1:5432
bench: install-dev
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; }
	for db in $(BENCH_DB) $(BENCH_DB)_sweep; do \
	  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $$db" -c "CREATE DATABASE $$db"; \
	done
	DATABASE_URL=$(BENCH_URL)/$(BENCH_DB) $(PY) manage.py generate_data --units $(BENCH_UNITS)
	DATABASE_URL=$(BENCH_URL)/$(BENCH_DB) $(PY) -m bench.pages --load
	DATABASE_URL=$(BENCH_URL)/$(BENCH_DB)_sweep $(PY) -m bench.deadline_sweep --units $(BENCH_UNITS)

clean:
	rm -rf $(VENV) var
