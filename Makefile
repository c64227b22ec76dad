# clarifai-local: `make run` serves, `make test` tests. Both set up .venv first:
# `make run` with what serving needs, the others with the development tools too.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup setup-dev run stop test test-clients protos coverage lint bench clean scaffold

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# What serving needs (pyproject's dependencies).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# And the development tools: pytest, grpcio-tools (make protos), ruff, ...
$(DEV_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEV_STAMP)

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

run: $(STAMP)
	$(VENV)/bin/clarifai-local serve

stop: $(STAMP)  # a server started in the background on .data, and its embedded database
	$(VENV)/bin/clarifai-local stop

# The suite runs in this many processes (one per core, at most four), each
# with its own server and database, a test file to one process at a time.
TEST_PROCESSES ?= $(shell $(PYTHON) -c 'import os; print(min(4, os.cpu_count() or 1))')

test: $(DEV_STAMP)
	$(PY) -m pytest -q -n $(TEST_PROCESSES) --dist loadfile

test-clients: $(DEV_STAMP)
	$(PY) -m pytest -q tests/clients

protos: $(DEV_STAMP)
	$(PY) -m server.codegen

coverage: $(DEV_STAMP)  # server/reference_rpcs.json from the reference, then COVERAGE.md (tests fail when stale)
	$(PY) -m tests.reference_rpcs
	$(PY) -m server.coverage

scaffold: $(DEV_STAMP)  # make scaffold RESOURCE=model_versions (its RPCs declared in protos/ first)
	$(VENV)/bin/clarifai-local scaffold $(RESOURCE)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check server storage tests bench
	$(VENV)/bin/ruff format --check server storage tests bench

bench: $(STAMP)  # figures to read, never pass/fail: every bench/bench_*.py, then one line per goal
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) .data
