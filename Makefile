# Two commands: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Browser libraries served by the app itself (Workbox, idb, jsQR, noble-ed25519), from npm.
VENDOR := earmark/static/vendor/.stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev setup test lint fuzz format bench bench-http translations fonts messages clean exchange-demo two-provinces

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.deps
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

translations: $(VENV)/.deps
	$(BIN)/earmark compile_translations

# The Regular and Bold weights every PDF embeds, cut once into var/fonts (about 30 s).
fonts: $(VENV)/.deps
	$(BIN)/earmark build_fonts

$(VENDOR): package.json package-lock.json tools/vendor_static.py
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PYTHON) tools/vendor_static.py

setup: $(VENV)/.deps translations fonts $(VENDOR)
	$(BIN)/earmark migrate --no-input
	$(BIN)/earmark load_regions
	$(BIN)/earmark certificate_keys --if-missing
	$(BIN)/earmark seed_demo
	$(BIN)/earmark audit_checkpoint

# The demo is served as in production (DEBUG off, static files through WhiteNoise, no reloading
# when files change): whoever opens a farm's QR link never sees Django's debug page.
run: setup
	@echo "Earmark is at http://$(HOST):$(PORT)/ (demo logins in README.md)"
	DEBUG=0 $(BIN)/earmark runserver --noreload $(HOST):$(PORT)

# For development: DEBUG on (tracebacks in the browser), reloading on every change.
dev: setup
	DEBUG=1 $(BIN)/earmark runserver $(HOST):$(PORT)

test: $(VENV)/.dev translations fonts $(VENDOR)
	$(BIN)/python tools/run_tests.py $(ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy earmark bench
	$(BIN)/earmark makemigrations --check --dry-run

# schemathesis over the whole API as three users, fixed seed: zero failures is the bar.
fuzz: $(VENV)/.dev translations fonts $(VENDOR)
	$(BIN)/python tools/fuzz.py

# Benchmarks on generated data (SQLite; BENCH_DATABASE_URL for a PostgreSQL you can empty).
bench: $(VENV)/.dev translations fonts
	$(BIN)/python bench/run.py

# The app under gunicorn on PostgreSQL, loaded by locust: requests/s and p50/p95/p99 per request
# in var/bench-http.json (BENCH_HTTP_DATABASE_URL: a PostgreSQL database the run may recreate).
$(VENV)/.bench: $(VENV)/.dev
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@touch $@

bench-http: $(VENV)/.bench translations fonts $(VENDOR)
	$(BIN)/python bench/load.py

# The outbox through an outage, a killed worker and two workers, against the demo database.
exchange-demo: $(VENV)/.deps
	$(BIN)/python tools/exchange_demo.py

# Jilin and Heilongjiang as two running instances meeting through the platform simulator
# (SQLite; DATABASE=postgresql://… for two PostgreSQL databases on that server).
two-provinces: $(VENV)/.deps translations fonts
	$(BIN)/python tools/two_provinces.py --database $(or $(DATABASE),sqlite)

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract new user-facing strings into the .po files (needs GNU gettext's xgettext).
messages: $(VENV)/.deps
	cd earmark && ../$(BIN)/earmark makemessages --locale zh_Hans --locale en --no-obsolete

clean:
	rm -rf $(VENV) var staticfiles test-artifacts node_modules earmark/static/vendor
