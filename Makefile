# Two commands: `make run` serves the app with demo data, `make test`
# runs the whole suite. Both build the virtual environment they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := aip

.PHONY: run test test-postgres test-browser ci mail-worker install \
        install-test clean

run: $(VENV)/.installed
	$(BIN)/flask aip setup --demo
	$(BIN)/flask run --host 127.0.0.1

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite on PostgreSQL: the fixture creates and drops its own database
# on the server that PG_URL names.
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-postgres: $(VENV)/.installed-test
	AIP_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# What CI runs: system packages, PostgreSQL, then both suites.
ci:
	bash .ci/run

# Deliver queued mail every 10 seconds, as a production worker does.
mail-worker: $(VENV)/.installed
	$(BIN)/flask mail send --loop

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Every dependency is pinned in constraints.txt, so a fresh install gets
# the versions CI tested.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache
