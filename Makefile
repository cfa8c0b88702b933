# One command per job; each sets up the virtualenv it needs first.
#   make digest   build the sample digest from seeds/ into output/
#   make test     lint, type-check and run the whole test suite
#   make goldens  regenerate golden files (review the diff before committing)
#   make bench    run the benchmark and print its figures

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: digest test lint goldens bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

digest: $(STAMP)
	$(BIN)/digest build seeds --out output

lint: $(STAMP)
	$(BIN)/ruff check digest tests bench
	$(BIN)/ruff format --check digest tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

goldens: $(STAMP)
	$(BIN)/python -m pytest --update-goldens

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info
