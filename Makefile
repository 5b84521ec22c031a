# The two commands of the README: `make run` (the demo city) and `make test` (every test).
# Both set up what they need on a fresh machine: the virtual environment, and for the tests
# PostgreSQL (scripts/postgres-up) and Kafka (started by the test session itself).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint unit integration bench-throughput clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(STAMP)

run: install
	$(BIN)/grid-router demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	GRID_TEST_POSTGRES_URL="$${GRID_TEST_POSTGRES_URL:-$$(scripts/postgres-up)}" \
		$(BIN)/pytest -q -p no:cacheprovider --durations=30 $(PYTEST_ARGS)

unit: install
	$(BIN)/pytest -q tests/unit

bench-throughput: install
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache grid_router.db grid_router.db-*
