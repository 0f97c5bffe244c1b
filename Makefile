# Two commands: `make run` serves the app with demo data, `make test`
# runs the whole suite. Both build the virtual environment they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := aip

.PHONY: run test install install-test clean

run: $(VENV)/.installed
	$(BIN)/flask aip setup --demo
	$(BIN)/flask run --host 127.0.0.1

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
