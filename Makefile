# The two commands: `make run` (the app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app cluster

.PHONY: run test lint install install-test assets clean serve bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(FLASK) db upgrade heads
	$(FLASK) demo
	@echo "\nServing the demo at http://127.0.0.1:$(PORT)/sign-in (Ctrl+C to stop)"
	CLUSTER_RUN_SCHEDULER=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

# The production shape locally: PostgreSQL, gunicorn (gunicorn.conf.py) and one scheduler process,
# with the demo data. Ctrl+C stops both. Another database: make serve SERVE_DATABASE_URL=postgresql://...
SERVE_DATABASE_URL ?= postgresql://postgres@127.0.0.1/cluster_serve
SERVE_PORT ?= 8000
serve: install
	@set -e; export DATABASE_URL='$(SERVE_DATABASE_URL)' PORT=$(SERVE_PORT) CLUSTER_BASE_URL=http://127.0.0.1:$(SERVE_PORT); \
	$(BIN)/python -m cluster.ops.database "$$DATABASE_URL"; \
	$(FLASK) db upgrade heads; \
	$(FLASK) demo; \
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill -TERM $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	echo "\nServing http://127.0.0.1:$(SERVE_PORT)/sign-in with gunicorn and one scheduler (Ctrl+C stops both)"; \
	$(BIN)/gunicorn -c gunicorn.conf.py

# The national-scale benchmark (not a test; about 15 minutes on 2 cores): builds the dataset on
# PostgreSQL, drives gunicorn with locust, sends the digests to a local SMTP server, prints a table
# and writes bench/results.json. Smaller: make bench BENCH_ARGS="--scale la".
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1/cluster_bench
BENCH_ARGS ?= --scale national
bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench --database-url '$(BENCH_DATABASE_URL)' $(BENCH_ARGS)

# The browser tests use the Nu HTML Checker from the npm registry (frontend/node_modules);
# without npm (or Chromium) they skip and say why.
frontend/node_modules/.installed: frontend/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the HTML validity checks will be skipped"; fi

# The code's shape first (seconds): lint, formatting, the layers contract, no import cycle.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/import_graph.py --quiet

test: lint frontend/node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# Rebuild the vendored front-end files in static/ from the pinned npm packages (needs npm).
assets:
	cd frontend && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
