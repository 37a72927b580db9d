# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run    set up, migrate, load the demo data and serve at http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint migrate seed divisions worker beat backup restore bench clean

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

# Going live: every province, city and county-level division (README, "Going live").
divisions: migrate
	$(PY) manage.py load_divisions

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

# The database and every uploaded file (README, "Backup and restore"): `make backup` writes
# var/backups/greenmfg-<time>/; `make restore ARCHIVE=var/backups/greenmfg-<time>` restores it
# into an empty database and storage (RESTORE_ARGS="--force" to overwrite) and verifies it.
BACKUP_DIR ?= var/backups
backup: install
	$(PY) manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/greenmfg-<time>"; exit 2; }
	$(PY) manage.py restore $(ARCHIVE) $(RESTORE_ARGS)

# Benchmarks at national scale on new PostgreSQL databases (docs/benchmarks.md): generate the
# data at two sizes (10,000 and 100,000 units), time every page and API endpoint of every role at
# both (bench.pages draws them from the URL conf), load a few through gunicorn with wrk, then time
# the nightly sweeps over 100,000 units, the long documents and a 10,000-row import. Needs
# PostgreSQL on 127.0.0.1 and wrk (apt-get install wrk). Fails (after running everything) when a
# page misses its targets.
BENCH_DB ?= greenmfg_bench
BENCH_SIZES ?= 10k:10000 100k:100000
BENCH_UNITS ?= 100000
BENCH_URL := postgres://postgres@127.0.0.1:5432
BENCH_PAGES_ARGS ?= --markdown --load
bench: install-dev
	command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; }
	for size in $(BENCH_SIZES); do \
	  db=$(BENCH_DB)_$${size%%:*}; \
	  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $$db" -c "CREATE DATABASE $$db" && \
	  DATABASE_URL=$(BENCH_URL)/$$db $(PY) manage.py generate_data --units $${size##*:} || exit 1; \
	done
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $(BENCH_DB)_sweep" -c "CREATE DATABASE $(BENCH_DB)_sweep"
	status=0; \
	DATABASE_URL=$(BENCH_URL)/postgres $(PY) -m bench.pages $(BENCH_PAGES_ARGS) \
	  $(foreach size,$(BENCH_SIZES),--size $(firstword $(subst :, ,$(size)))=$(BENCH_DB)_$(firstword $(subst :, ,$(size)))) \
	  || status=$$?; \
	DATABASE_URL=$(BENCH_URL)/$(BENCH_DB)_sweep $(PY) -m bench.deadline_sweep --units $(BENCH_UNITS) || exit 1; \
	$(PY) -m bench.documents || exit 1; \
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $(BENCH_DB)_imports" -c "CREATE DATABASE $(BENCH_DB)_imports" && \
	DATABASE_URL=$(BENCH_URL)/$(BENCH_DB)_imports $(PY) -m bench.imports --rows 10000 || exit 1; \
	exit $$status

clean:
	rm -rf $(VENV) var
