# maskrec: every target does its own set-up (a pinned virtual environment in .venv).
#   make run     every study at the cpu profile, then outputs/REPORT.md
#   make test    the whole test suite (pytest; needs MASKREC_DATA_MIRROR offline)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.maskrec-installed
PROFILE ?= cpu
STUDY ?= all
WORKERS ?= 2

.PHONY: setup test run export readme clean-venv
setup: $(STAMP)

$(STAMP): requirements.txt setup.py settings.ini
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

test: $(STAMP)
	$(PY) -m pytest -n $(WORKERS) tests

run: $(STAMP)
	$(VENV)/bin/maskrec run $(STUDY) --profile $(PROFILE)

export: $(STAMP)
	$(VENV)/bin/nbdev_export && $(VENV)/bin/maskrec readme

clean-venv:
	rm -rf $(VENV)
