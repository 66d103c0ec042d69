# The README's two commands. `setup` is a dependency of both and is quick when everything is installed.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup e2e test lint bench clean-reports mutants

setup:
	@bash scripts/setup.sh

## make e2e: the main job — the journey suite on the virtual card (pcscd+vpcd) and the portal simulation,
## then the Allure report and the usability report under reports/, and a one-screen summary.
e2e: setup
	@$(PY) -m ras_e2e.e2e $(PYTEST_ARGS)

## make test: the harness's own tests (unit, conformance, integration), then the journey suite (two workers).
## Two runs because each holds vpcd slots of the one pcscd for its whole session.
test: setup
	@$(PY) -m pytest tests -q $(PYTEST_ARGS)
	@$(PY) -m pytest features -q -n 2 $(PYTEST_ARGS)

## make mutants: mutation testing of the suite against its own simulation. Each mutant of mutants/catalogue.yaml
## is applied to a scratch copy (a portal setting, or exact edits), only its covering scenarios run; the score and
## the survivors are printed and written to reports/mutants/. `make mutants MUTANTS="id id"` runs a few.
mutants: setup
	@$(PY) -m ras_e2e.mutants $(MUTANTS)

lint: setup
	@$(VENV)/bin/ruff check .

bench: setup
	@$(PY) bench/bench_apdu.py
	@$(PY) bench/bench_suite.py

clean-reports:
	rm -rf reports/allure-results reports/allure-report reports/usability reports/artifacts
