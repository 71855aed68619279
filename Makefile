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

# Any corpus, any study, any grouping, from the command line:
#   make figures CORPUS=path STUDY=file GROUP_BY=col PAIR_BY=col TIME=col FIGURES=dir PROCESSED=dir
# CORPUS is a folder of .txt files or a .csv/.tsv/.jsonl/.parquet file (RAW is its older name).
# STUDY is the study file (actors, topic terms, frame additions, registry, default grouping;
# analysis/study.py); STUDY=none: no study, sources are tied to countries. GROUP_BY names the
# metadata column to compare (default: the first of the study's `groups:`); with it,
# groups.csv, contrasts.csv and adjusted.csv are written beside features.csv. PAIR_BY names the
# event each article covers (paired contrasts); TIME the date column of the timeline (defaults:
# the study's `pair_by:` and `time:`, else none and date). The notebooks get them as papermill
# parameters corpus_dir, processed_dir, figures_dir, study, group_by, pair_by and time.
# FEATURE_ARGS: more options for `python -m analysis features`.
CORPUS     := data/raw
RAW        := $(CORPUS)
PROCESSED  := data/processed
FIGURES    := figures
STUDY      := data/study.yml
# What users type reaches the shell as one word: $(call q,VALUE) single-quotes it, each ' as '\''
# (an apostrophe in GROUP_BY, a space in CORPUS or STUDY).
q = '$(subst ','\'',$(1))'
# GNU make cannot name a target with a space in it, and PROCESSED and FIGURES hold targets
# (features.csv, the executed notebooks): refuse them in one line rather than fail later
# with "No rule to make target". CORPUS and STUDY are only read, never targets: spaces work.
space := $(subst ,, )
$(foreach v,PROCESSED FIGURES,$(if $(findstring $(space),$($(v))),$(error $(v)='$($(v))' \
  has a space; make cannot name files in such a folder: use a path without spaces (a \
  symbolic link to the folder will do))))
# The study (and FRAMES, the built-in frame sets, e.g. FRAMES=pfc,sv; default: the study's
# `frames:`) of the last features run, rewritten (when make reads this file) only when they
# change: another STUDY or FRAMES rebuilds the features.
FRAMES     ?=
MAKE_STUDY := $(PROCESSED)/.make-study
$(shell mkdir -p '$(PROCESSED)' && { [ "$$(cat '$(MAKE_STUDY)' 2>/dev/null)" = $(call q,STUDY=$(STUDY)$(if $(FRAMES), FRAMES=$(FRAMES))) ] \
  || printf '%s\n' $(call q,STUDY=$(STUDY)$(if $(FRAMES), FRAMES=$(FRAMES))) > '$(MAKE_STUDY)'; })
# What the features read, by content (make reads this file each time): one SHA-256 of the
# corpus (a file's bytes; a folder's names and bytes) and of every file the study reads
# (the study, its topic terms, frame additions and registry, wherever they live), from
# `python -m analysis study FILE --inputs-hash CORPUS` (light: no pandas, ~0.2 s). Rewritten
# only when it changes, so file times never decide: an edit that keeps the time, a deleted
# article, a corpus replaced by an older-dated copy (cp -p, unzip) or an edited registry
# outside the study's folder all rerun the features, and a touch alone does not. A corpus
# that cannot be read gives "unreadable" (the features run then says why). Before the venv
# exists (a fresh clone) the rule below writes it.
# Learned models for the features (make figures MEASURES="a.yml b.yml"): a change of the list
# reruns the features, as a change of the files does.
MEASURES   ?=
MAKE_MEASURES := $(PROCESSED)/.make-measures
$(shell { [ "$$(cat '$(MAKE_MEASURES)' 2>/dev/null)" = $(call q,MEASURES=$(MEASURES)) ] \
  || printf '%s\n' $(call q,MEASURES=$(MEASURES)) > '$(MAKE_MEASURES)'; })
MAKE_INPUTS := $(PROCESSED)/.make-inputs
INPUTS_HASH = $(PY) -m analysis study $(call q,$(STUDY)) --inputs-hash $(call q,$(RAW))
ifneq ($(filter-out help setup lock clean,$(or $(MAKECMDGOALS),help)),)
$(shell [ -x $(PY) ] && { h=$$($(INPUTS_HASH) 2>/dev/null) || h=unreadable; } \
  && t=$$(printf 'CORPUS=%s INPUTS=%s' $(call q,$(RAW)) "$$h") \
  && { [ "$$(cat '$(MAKE_INPUTS)' 2>/dev/null)" = "$$t" ] || printf '%s\n' "$$t" > '$(MAKE_INPUTS)'; })
endif
# The study's defaults (`groups:`, `pair_by:`, `time:`), asked of the package
# (`python -m analysis study FILE --get KEY`), never parsed here: written into a makefile that
# make includes and remakes, after the venv, when STUDY or the inputs change (make then
# reads this file again). An up-to-date tree runs no Python for them. Goals that need no
# defaults (help, setup, lock, clean) skip it, so `make help` on a fresh clone builds nothing.
STUDY_MK   := $(PROCESSED)/.make-study-defaults
ifneq ($(filter-out help setup lock clean,$(or $(MAKECMDGOALS),help)),)
include $(STUDY_MK)
endif
# A column name keeps its $ and # there ($$ and \#: make would expand or cut them).
$(STUDY_MK): $(MAKE_STUDY) $(MAKE_INPUTS) | $(STAMP)
	@for key in groups pair_by time; do \
	  value=$$($(PY) -m analysis study $(call q,$(STUDY)) --get $$key); \
	  value=$$(printf '%s' "$$value" | sed -e 's/\$$/$$$$/g' -e 's/#/\\#/g'); \
	  printf 'STUDY_%s := %s\n' "$$key" "$$value"; done > $@; \
	printf 'STUDY_DEFAULTS_OF := STUDY=%s\n' $(call q,$(STUDY)) >> $@

$(MAKE_INPUTS): | $(STAMP)
	@h=$$($(INPUTS_HASH) 2>/dev/null) || h=unreadable; \
	printf 'CORPUS=%s INPUTS=%s\n' $(call q,$(RAW)) "$$h" > $@
GROUP_BY   := $(STUDY_groups)
PAIR_BY    := $(STUDY_pair_by)
TIME       := $(or $(STUDY_time),date)
# Executed notebooks (papermill's logs) of a run into other figure folders live beside them, so
# a run for one corpus never makes another corpus' figures look up to date.
NB_OUT     := $(if $(filter figures,$(FIGURES)),build/notebooks,$(FIGURES)-notebooks)
FEATURES   := $(PROCESSED)/features.csv
# Every table `python -m analysis compare` writes (analysis/compare/results.py), its record last;
# made only with a GROUP_BY, and read only by the notebooks in COMPARE_NOTEBOOKS.
COMPARE_FILES := $(patsubst %,$(PROCESSED)/%.csv,groups groups_all adjusted timeline timeline_all \
                 words source_shares women_quoted contrasts) $(PROCESSED)/comparison.manifest.json
COMPARE    := $(if $(GROUP_BY),$(COMPARE_FILES))
COMPARE_NOTEBOOKS := 05-groups
# COMPARE_ARGS: more options for `python -m analysis compare` (--reference, --period, --alpha,
# --n-resamples, --n-permutations, --random-state, --time-measures): every number of fig17-fig23
# is computed there; notebook 05 only draws.
COMPARE_ARGS ?=
# The grouping of the last run, rewritten (when make reads this file) only when it changes: the
# tables and notebooks that depend on it are rebuilt when GROUP_BY, PAIR_BY or TIME change, and
# only then, and `make -q` can tell an up-to-date tree. Written only once the study's defaults
# are known for this STUDY (not on the read before make remakes them).
MAKE_PARAMS := $(PROCESSED)/.make-parameters
PARAMS_TEXT := STUDY=$(STUDY) GROUP_BY=$(GROUP_BY) PAIR_BY=$(PAIR_BY) TIME=$(TIME)
ifeq ($(STUDY_DEFAULTS_OF),STUDY=$(STUDY))
$(shell { [ "$$(cat '$(MAKE_PARAMS)' 2>/dev/null)" = $(call q,$(PARAMS_TEXT)) ] \
  || printf '%s\n' $(call q,$(PARAMS_TEXT)) > '$(MAKE_PARAMS)'; })
endif
FEATURE_ARGS ?=
NOTEBOOKS  := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
EXECUTED   := $(patsubst notebooks/%.ipynb,$(NB_OUT)/%.ipynb,$(NOTEBOOKS))
# -P: a path, made absolute by analysis.notebooks (make's $(abspath) splits at spaces).
NB_PARAMS   = $(if $(filter-out data/raw,$(RAW)),-P corpus_dir $(call q,$(RAW))) \
              $(if $(filter-out data/processed,$(PROCESSED)),-P processed_dir $(call q,$(PROCESSED))) \
              $(if $(filter-out figures,$(FIGURES)),-P figures_dir $(call q,$(FIGURES))) \
              $(if $(filter-out none NONE None,$(strip $(STUDY))),-P study $(call q,$(STUDY)),-p study 'none') \
              -p group_by $(call q,$(GROUP_BY)) -p pair_by $(call q,$(PAIR_BY)) -p time $(call q,$(TIME))
PKG_SRC    := $(sort $(wildcard analysis/*.py analysis/*/*.py analysis/*/*/*.py analysis/lexicons/* analysis/rules/*))
VALIDATION_DIR ?= ../shared/validation

# Byte-stable figures: matplotlib reads SOURCE_DATE_EPOCH for PDF/SVG dates (a backstop;
# save_figure also strips them). Fixed hash seed, one thread per BLAS: same inputs, same bytes.
export SOURCE_DATE_EPOCH := 0
export PYTHONHASHSEED := 0
export MATPLOTLIBRC := $(CURDIR)/matplotlibrc
export OMP_NUM_THREADS := 1
export MPLBACKEND := agg

# Notebooks are independent: run two at a time (the machines have 2 cores). Logs stay per target.
MAKEFLAGS += --jobs=2 --output-sync=target

.PHONY: help setup features compare figures validate train-tone test test-fast lab report check-reproducible clean lock benchmark

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

# Exit code 1 = done, some input skipped (printed, listed in errors.csv): the tables are good, so
# make goes on. 2 (usage, --strict) and 3 (internal error) stop make and replace nothing. The
# CLI replaces the whole set of tables at once, features.csv last: a killed run leaves the old
# set or no features.csv, never a features.csv that make would take as up to date.
# The inputs are current by content ($(MAKE_INPUTS)), the code by time.
$(FEATURES): $(STAMP) $(PKG_SRC) $(MAKE_INPUTS) $(MAKE_STUDY) $(MAKE_MEASURES) $(MEASURES)
	$(PY) -m analysis features $(call q,$(RAW)) -o $(call q,$@) --study $(call q,$(STUDY)) \
	  $(foreach m,$(MEASURES),--measure $(call q,$(m))) \
	  $(if $(FRAMES),--frames $(call q,$(FRAMES))) $(FEATURE_ARGS) || [ $$? -eq 1 ]

compare: $(COMPARE) ## the tables of fig17-fig23 (groups.csv, contrasts.csv, ...) (GROUP_BY=col)

# One run writes them all (a grouped target): a missing or older one reruns it. Each table is
# replaced atomically and the record comes last; the texts (CORPUS) are read only when the
# features run wrote no terms.csv.
$(COMPARE_FILES) &: $(FEATURES) $(MAKE_PARAMS) $(STAMP)
	$(PY) -m analysis compare $(call q,$(FEATURES)) --study $(call q,$(STUDY)) --by $(call q,$(GROUP_BY)) \
	  $(if $(PAIR_BY),--pair-by $(call q,$(PAIR_BY))) --time $(call q,$(TIME)) --corpus $(call q,$(RAW)) $(COMPARE_ARGS)

# The last line of `make figures`: what the features run skipped, if anything (0.1 s, no pandas);
# fails when the tables are not the complete set the run wrote.
figures: $(EXECUTED) ## run every notebooks/NN-*.ipynb with papermill; figures land in figures/ (or FIGURES=dir)
	@$(PY) -m analysis status $(call q,$(FEATURES)) --quiet

# papermill in the notebook's folder, into $(@D)/.tmp-$(@F), renamed to $@ when every cell ran:
# a notebook stopped half-way (error, Ctrl-C, kill) has no log and runs again.
$(NB_OUT)/%.ipynb: notebooks/%.ipynb $(FEATURES) $(MAKE_PARAMS) $(STAMP)
	$(PY) -m analysis.notebooks -k $(KERNEL) -o $(call q,$(@D)) $(NB_PARAMS) $(call q,$<)

# The notebooks that draw from the comparison tables wait for them (and rerun when they change).
$(patsubst %,$(NB_OUT)/%.ipynb,$(COMPARE_NOTEBOOKS)): $(COMPARE)

validate: $(STAMP) ## validity report vs human-coded data: make validate VALIDATION_DIR=...
	$(PY) -m analysis validate $(call q,$(VALIDATION_DIR)) -o build/validation --study $(call q,$(STUDY))

# The learned sentence tone (tone_learned), rebuilt byte for byte from the rated texts in
# VALIDATION_DIR (analysis/measures/tone/training.py: sources, licences, recipe).
train-tone: $(STAMP) ## rebuild analysis/lexicons/tone_learned.yml: make train-tone VALIDATION_DIR=...
	$(PY) -m analysis.measures.tone.training $(call q,$(VALIDATION_DIR)) analysis/lexicons/tone_learned.yml

test: $(STAMP) ## run the test suite
	$(PY) -m pytest -q

# The edit-test loop: tests not marked slow (no notebooks, make, CLI subprocesses or runs over
# ~1 s; pyproject.toml's marker), about a minute on 2 cores. `make test` still runs them all.
test-fast: $(STAMP) ## run the unit tests only (not marked slow; about a minute)
	$(PY) -m pytest -q -m "not slow" -p no:cacheprovider

# JupyterLab from the project's venv, rooted at the project so figures/ and data/ can be browsed;
# it opens on notebooks/, new notebooks get the framing-analysis kernel, and the features are
# built first so every notebook runs as is. Jupyter refuses root unless told (containers run as
# root). Extra options: make lab LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP) $(FEATURES) ## open JupyterLab (project kernel) on notebooks/, features built
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	  --MultiKernelManager.default_kernel_name=$(KERNEL) $(LAB_ROOT) $(LAB_ARGS)

# The report of the figures folder: the figures of FIGURES beside the tables of PROCESSED,
# written beside the figures (build/report for the committed figures/), one report per folder.
REPORT_DIR := $(if $(filter figures,$(FIGURES)),build/report,$(FIGURES)-report)
report: figures ## build/report/index.html (FIGURES=dir: dir-report/): every figure, caption, provenance, how to cite
	$(PY) -m analysis.report --figures $(call q,$(FIGURES)) --features $(call q,$(FEATURES)) -o $(call q,$(REPORT_DIR))

# Rebuild every figure from a clean state and compare byte for byte with the committed files.
# Clean state = a fresh clone of HEAD in a temporary folder (no build/, no data/processed/, no
# figures), so the working tree is never touched. The clone reuses this .venv (marked up to date
# with -o) and imports its own `analysis` through PYTHONPATH; git then reports every committed
# figure file that changed (M) or was not made again (D). New, uncommitted figures only warn.
check-reproducible: $(STAMP) ## rebuild all figures in a clean clone of HEAD; fail on any byte change
	@git rev-parse --verify -q HEAD >/dev/null || { echo "check-reproducible: no commit yet" >&2; exit 2; }
	@git diff --quiet HEAD -- figures || echo "note: figures/ has uncommitted changes; checking HEAD's figures"
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	git clone --quiet --no-hardlinks "$(CURDIR)" "$$tmp/repo"; \
	find "$$tmp/repo/figures" -maxdepth 1 -type f \( -name 'fig*.png' -o -name 'fig*.pdf' \
	  -o -name 'fig*.svg' -o -name 'fig*.json' \) -delete; \
	echo "rebuilding every figure in a clean clone of $$(git rev-parse --short HEAD) ..."; \
	PYTHONPATH="$$tmp/repo" $(MAKE) --no-print-directory -C "$$tmp/repo" VENV="$(abspath $(VENV))" \
	  -o "$(abspath $(STAMP))" figures >"$$tmp/build.log" 2>&1 || { tail -n 40 "$$tmp/build.log"; exit 1; }; \
	changed=$$(git -C "$$tmp/repo" status --porcelain --untracked-files=no -- figures); \
	new=$$(git -C "$$tmp/repo" ls-files --others --exclude-standard -- figures); \
	n=$$(git -C "$$tmp/repo" ls-files -- 'figures/fig*' | wc -l); \
	if [ "$$n" -eq 0 ]; then echo "check-reproducible: HEAD has no committed figures to compare" >&2; exit 1; fi; \
	if [ -n "$$new" ]; then echo "warning: figures made but not committed:"; echo "$$new" | sed 's/^/  /'; fi; \
	if [ -n "$$changed" ]; then \
	  echo "NOT reproducible: committed figure files that differ (M) or were not rebuilt (D):"; \
	  echo "$$changed" | sed 's/^/  /'; \
	  git -C "$$tmp/repo" diff --stat -- figures | tail -n 1; exit 1; fi; \
	echo "reproducible: all $$n committed files in figures/ rebuilt byte for byte"

clean: ## remove derived data and executed notebooks (keeps .venv and committed figures)
	rm -rf build $(PROCESSED)/*.csv $(PROCESSED)/*.parquet $(PROCESSED)/*.manifest.json $(MAKE_PARAMS) $(MAKE_STUDY) $(STUDY_MK) $(MAKE_INPUTS) $(MAKE_MEASURES) \
	  $(PROCESSED)/.*.staging-* $(PROCESSED)/cleaned

BENCH_ARTICLES ?= 2000
benchmark: $(STAMP) ## speed and memory benchmarks (slow; not part of test): make benchmark BENCH_ARTICLES=2000
	$(PY) benchmarks/bench_features.py --articles $(BENCH_ARTICLES)
	$(PY) benchmarks/bench_dask.py --articles $(BENCH_ARTICLES)
	$(PY) benchmarks/bench_memory.py --articles $(BENCH_ARTICLES)
	$(PY) benchmarks/bench_make.py
	$(PY) benchmarks/bench_cli.py
	$(PY) benchmarks/bench_figures.py
