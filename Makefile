# The dependency graph of the project. `make` (= `make help`) lists the targets.
# Every target that needs Python first builds .venv from the hashed lock (skipped when
# the lock is unchanged: .venv/.stamp), so `make figures` and `make test` work on a fresh clone.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.stamp
KERNEL     := framing-analysis

RAW        := data/raw
PROCESSED  := data/processed
FEATURES   := $(PROCESSED)/features.csv
NOTEBOOKS  := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
EXECUTED   := $(patsubst notebooks/%.ipynb,build/notebooks/%.ipynb,$(NOTEBOOKS))
PKG_SRC    := $(sort $(wildcard analysis/*.py analysis/lexicons/* analysis/rules/*))
RAW_FILES  := $(sort $(wildcard $(RAW)/*))
VALIDATION_DIR ?= ../shared/validation

# Byte-stable figures: matplotlib reads SOURCE_DATE_EPOCH for PDF/SVG dates (a backstop;
# save_figure also strips them). Fixed hash seed, one thread per BLAS: same inputs, same bytes.
export SOURCE_DATE_EPOCH := 0
export PYTHONHASHSEED := 0
export MATPLOTLIBRC := $(CURDIR)/matplotlibrc
export OMP_NUM_THREADS := 1
export MPLBACKEND := agg

.PHONY: help setup features figures validate test lab report check-reproducible clean lock benchmark

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-20s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv from requirements.lock, install the package, register the kernel

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (framing-analysis)" >/dev/null
	touch $@

lock: ## re-resolve requirements.lock from pyproject.toml (needs network; uses uv)
	$(PYTHON_SYS) -m pip install --quiet uv && $(PYTHON_SYS) -m uv pip compile pyproject.toml \
	  --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --index-url https://pypi.org/simple --custom-compile-command "make lock" -o requirements.lock

features: $(FEATURES) ## data/processed/features.csv (+ evidence.csv, audit, errors)

$(FEATURES): $(STAMP) $(RAW_FILES) $(PKG_SRC) | $(RAW)
	$(PY) -m analysis features $(RAW) -o $@

figures: $(EXECUTED) ## run every notebooks/NN-*.ipynb with papermill; figures land in figures/

build/notebooks/%.ipynb: notebooks/%.ipynb $(FEATURES) $(STAMP)
	@mkdir -p $(@D)
	$(PY) -m papermill --no-progress-bar --log-level WARNING -k $(KERNEL) --cwd notebooks $< $(@D)/.tmp-$(@F)
	mv $(@D)/.tmp-$(@F) $@

validate: $(STAMP) ## validity report vs human-coded data: make validate VALIDATION_DIR=...
	$(PY) -m analysis validate $(VALIDATION_DIR) -o build/validation

test: $(STAMP) ## run the test suite
	$(PY) -m pytest -q

lab: $(STAMP) ## open JupyterLab in the project environment
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

clean: ## remove derived data and executed notebooks (keeps .venv and committed figures)
	rm -rf build $(PROCESSED)/*.csv $(PROCESSED)/*.parquet $(PROCESSED)/cleaned
