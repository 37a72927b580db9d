# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run    set up, migrate, load the demo data and serve at http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint migrate seed worker beat clean

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

# With REDIS_URL set: a Celery worker and the beat scheduler (see README).
worker: install
	$(VENV)/bin/celery -A greenmfg worker -l info

beat: install
	$(VENV)/bin/celery -A greenmfg beat -l info

clean:
	rm -rf $(VENV) var
