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
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; } ; } || \
	  echo "note: Debian's chromium could not be installed; the screenshot test will be skipped"
	@command -v bwrap >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get install -y -q bubblewrap >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q bubblewrap >/dev/null 2>&1; }; } ; } || \
	  echo "note: Debian's bubblewrap could not be installed; maskrec grade runs submissions unisolated and the sandbox test is skipped"
	MASKREC_TEST_WORKERS=$(WORKERS) $(PY) -m pytest tests

run: $(STAMP)
	$(VENV)/bin/maskrec run $(STUDY) --profile $(PROFILE)

export: $(STAMP)
	$(VENV)/bin/nbdev_export && $(VENV)/bin/maskrec readme

clean-venv:
	rm -rf $(VENV)
