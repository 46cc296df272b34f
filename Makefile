# The two commands: `make run` (the app with demo data) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app cluster

.PHONY: run test install install-test assets clean

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

# The browser tests use the Nu HTML Checker from the npm registry (frontend/node_modules);
# without npm (or Chromium) they skip and say why.
frontend/node_modules/.installed: frontend/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the HTML validity checks will be skipped"; fi

test: install-test frontend/node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# Rebuild the vendored front-end files in static/ from the pinned npm packages (needs npm).
assets:
	cd frontend && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
