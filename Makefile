# clarifai-local: `make run` serves, `make test` tests. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test test-clients protos coverage lint bench clean scaffold

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/clarifai-local serve

test: $(STAMP)
	$(PY) -m pytest -q

test-clients: $(STAMP)
	$(PY) -m pytest -q tests/clients

protos: $(STAMP)
	$(PY) -m server.codegen

coverage: $(STAMP)  # server/reference_rpcs.json from the reference, then COVERAGE.md (tests fail when stale)
	$(PY) -m tests.reference_rpcs
	$(PY) -m server.coverage

scaffold: $(STAMP)  # make scaffold RESOURCE=model_versions (its RPCs declared in protos/ first)
	$(VENV)/bin/clarifai-local scaffold $(RESOURCE)

lint: $(STAMP)
	$(VENV)/bin/ruff check server storage tests
	$(VENV)/bin/ruff format --check server storage tests

bench: $(STAMP)  # figures to read, never pass/fail: every bench/bench_*.py in turn
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .data
