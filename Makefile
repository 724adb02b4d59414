# Two commands: `make demo` and `make test`. Everything else is set up from scratch by them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

# Debian packages crimeprev needs (installed as root only when missing): Pango for the PDF
# renderer (and HarfBuzz subsetting for its fonts), DejaVu fonts, Poppler (pdftotext, pdftoppm).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
# What only the tests need: the PostgreSQL server the app-store tests start and stop for themselves,
# the headless Chromium the browser tests drive (about 500 MB; installed once, when missing), and the
# Java runtime Spark needs for the engine parity tests.
TEST_PACKAGES := $(SYSTEM_PACKAGES) postgresql chromium openjdk-17-jre-headless

.PHONY: demo test lint typecheck bench audit clean system-packages test-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@ $(VENV)/.installed

system-packages test-packages: PACKAGES = $(if $(filter test-packages,$@),$(TEST_PACKAGES),$(SYSTEM_PACKAGES))
system-packages test-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

demo: $(VENV)/.installed system-packages
	$(BIN)/crimeprev demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

test: $(VENV)/.installed-dev test-packages lint typecheck
	$(BIN)/pytest

# Every benchmark, one after another; rewrites their sections of bench/RESULTS.md (about 15 minutes).
bench: $(VENV)/.installed-dev system-packages
	$(BIN)/python bench/run.py

# pip-audit of the pinned dependencies (reports; says so when the vulnerability service is unreachable).
audit: $(VENV)/.installed-dev
	bash .ci/audit

clean:
	rm -rf $(VENV) .venv-audit out crimeprev.duckdb demo-data
