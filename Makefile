# OneThing developer commands. `make demo` and `make test` are all a newcomer needs; see README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Only the packages that exist yet (a folder with an __init__.py) are type-checked.
CHECKED := $(patsubst %/__init__.py,%,$(wildcard $(addsuffix /__init__.py,\
	contracts saga services departments window ops onething deploy)))
PYTEST_ARGS ?=

.PHONY: help venv up workers down status lint test chaos demo demo-roundtrip clean

help:
	@echo "make demo    start Kafka + Redis on loopback and send a few events round the loop"
	@echo "make test    run every test (starts or reuses the local stack as needed)"
	@echo "make chaos   kill workers, Redis and Kafka under load for many seeds (SEEDS=20)"
	@echo "make up      start (or reuse) the local stack and provision the topics"
	@echo "make workers start the orchestrator, the department simulators, the window and ops APIs too"
	@echo "make down    stop the workers and the local stack (data stays in .stack/)"
	@echo "make status  show whether the local stack runs, and where"
	@echo "make lint    ruff check, ruff format --check, mypy --strict"
	@echo "make clean   stop the stack and remove .stack/ and caches (keeps .venv/)"

venv: $(STAMP)

# Re-installed only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "OneThing needs Python >= 3.11; run e.g. make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $(STAMP)

up: venv
	$(PY) -m deploy.local.stack up
	$(PY) -m deploy.topics

# OneThing's own processes (orchestrator + projector, department simulators, window API, ops API)
# in the background on the local stack; `make down` stops them with the stack.
workers: up
	$(PY) -m deploy.local.workers up

# Works without the venv: stopping needs only the standard library.
down:
	@if [ -x $(PY) ]; then $(PY) -m deploy.local.workers down; fi
	@if [ -x $(PY) ]; then $(PY) -m deploy.local.stack down; \
	else $(PYTHON) -m deploy.local.stack down; fi

status:
	@if [ -x $(PY) ]; then $(PY) -m deploy.local.stack status; \
	else $(PYTHON) -m deploy.local.stack status; fi

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict $(CHECKED)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

# Chaos runs for many seeds (tests/chaos): SEEDS=N runs seeds 1..N, CHAOS_SEEDS=4,7,30-35 those.
# `make test` runs three of them; each prints a line saying what it killed and how it ended.
SEEDS ?= 10
CHAOS_SEEDS ?= 1-$(SEEDS)
chaos: up
	CHAOS_SEEDS='$(CHAOS_SEEDS)' $(PY) -m pytest tests/chaos -m chaos $(PYTEST_ARGS)

# The main job: every registry one-thing's demo (services/<thing>/demo.py), its cases from the
# window through every department. The department simulators inject transient faults
# (see departments/faults.py, ONETHING_FAULTS).
DEMO_FAULTS ?= {"departments": {"social_security": {"transient_rate": 0.2, "seed": 3}, "medical_insurance": {"transient_rate": 0.1, "seed": 4}, "housing_fund": {"latency": {"kind": "uniform", "low": 0.05, "high": 0.3}, "seed": 5}}}
demo: up
	ONETHING_FAULTS='$(DEMO_FAULTS)' $(PY) -m deploy.local.workers up --demo
	$(PY) -m deploy.demo.one_things

# The first round trip: a few enveloped events, Kafka -> a Faust agent -> Redis.
demo-roundtrip: up
	$(PY) -m deploy.demo

clean: down
	rm -rf .stack .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info build dist
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
