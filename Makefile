# The README's two commands. `setup` is a dependency of both and is quick when everything is installed.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup e2e report durations test lint static bench clean-reports mutants

setup:
	@bash scripts/setup.sh

## make e2e: the main job — the journey suite on the virtual card (pcscd+vpcd) and the portal simulation,
## then the Allure report and the usability report under reports/, and a one-screen summary.
## SHARD=i/N runs the i-th of N parts (split by features/durations.json) into reports/shards/i-of-N/.
## The worker count follows the cores (serial on 2); PYTEST_ARGS="-n 4" overrides it.
e2e: setup
	@$(PY) -m ras_e2e.e2e $(if $(SHARD),--shard $(SHARD)) $(PYTEST_ARGS)

## make report: merge every reports/shards/*/ (or SHARDS="dir dir …") into one Allure and one usability report.
report: setup
	@$(PY) -m ras_e2e.e2e report $(SHARDS)

## make durations: run the suite serially and record each scenario's duration for the shard split.
durations: setup
	@$(PY) -m pytest features -q -p no:xdist --store-durations --clean-durations \
	  --durations-path features/durations.json $(PYTEST_ARGS)

## make test: the static checks (boundaries, dead code: about a second), the harness's own tests (unit, conformance,
## integration), then the journey suite (two workers). Two pytest runs because each holds vpcd slots of the one pcscd
## for its whole session.
test: setup static
	@$(PY) -m pytest tests -q $(PYTEST_ARGS)
	@$(PY) -m pytest features -q -n 2 $(PYTEST_ARGS)

## make mutants: mutation testing of the suite against its own simulation. Each mutant of mutants/catalogue.yaml
## is applied to a scratch copy (a portal setting, or exact edits), only its covering scenarios run; the score and
## the survivors are printed and written to reports/mutants/. `make mutants MUTANTS="id id"` runs a few.
mutants: setup
	@$(PY) -m ras_e2e.mutants $(MUTANTS)

## make lint: ruff, then the static checks of docs/ARCHITECTURE.md (import contracts, dead code).
lint: setup
	@$(VENV)/bin/ruff check .
	@$(MAKE) --no-print-directory static

## The rooms' import contracts (pyproject.toml [tool.importlinter]) and dead code (vulture, vulture_whitelist.py).
static: setup
	@$(VENV)/bin/lint-imports --no-logo --no-cache
	@$(VENV)/bin/vulture

bench: setup
	@$(PY) bench/bench_apdu.py
	@$(PY) bench/bench_suite.py

clean-reports:
	rm -rf reports/allure-results reports/allure-report reports/usability reports/artifacts
