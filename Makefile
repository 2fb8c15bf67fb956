# One target per habit; `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PROJECT ?= .
ARCHIVE ?= $(if $(filter .,$(PROJECT)),../shared/sources,$(PROJECT)/archive)

.DEFAULT_GOAL := help
.PHONY: help site test serve validate bench lint clean browser fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# the pinned packages, then the generator itself (editable: its `odportal` command runs this folder's code)
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.3
	$(PY) -m pip install --quiet --requirement requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@
ODPORTAL := $(VENV)/bin/odportal

site: $(VENV)/.installed ## set up, validate (provenance too, when the archive is present), build site/ (PROJECT=DIR: another project)
	$(ODPORTAL) build --project $(PROJECT) $(if $(wildcard $(ARCHIVE)),--archive $(ARCHIVE))

validate: $(VENV)/.installed ## check the data (and provenance, when the archive is present)
	$(ODPORTAL) validate --project $(PROJECT) $(if $(wildcard $(ARCHIVE)),--archive $(ARCHIVE))

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser: ## install what the tests read the site and its files with: Debian's chromium, LibreOffice Calc, R with readr; npm's datapackage (once)
	@command -v chromium >/dev/null || command -v google-chrome >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null)
	@command -v soffice >/dev/null || command -v libreoffice >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null)
	@(command -v Rscript >/dev/null && Rscript -e 'library(readr)' >/dev/null 2>&1) || \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends r-base-core r-cran-readr >/dev/null)
	@[ -d tests/readers/node_modules/datapackage ] || npm ci --prefix tests/readers --no-audit --no-fund --silent

$(VENV)/cff/.installed: requirements-cff.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --no-deps --target $(VENV)/cff --requirement requirements-cff.txt
	touch $@

test: $(VENV)/.installed $(VENV)/cff/.installed browser ## set up and run every test, a worker per core
	$(PY) -m pytest -n auto --dist loadfile

FUZZ_SECONDS ?= 900
fuzz: $(VENV)/.installed ## the input fuzzer and the rebuild property test for longer (FUZZ_SECONDS, default 900; FUZZ_SEED, default the time)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} $(PY) -m pytest -q tests/test_fuzz.py tests/test_rebuild_property.py

serve: $(VENV)/.installed ## build, then preview the site on http://localhost:8000/
	$(ODPORTAL) serve --project $(PROJECT) $(if $(wildcard $(ARCHIVE)),--archive $(ARCHIVE))

lint: $(VENV)/.installed ## ruff lint
	$(PY) -m ruff check build_scripts tests

bench: $(VENV)/.installed ## build S, M, L sizes; time, memory, output (SIZES=S,M to choose)
	$(PY) bench/benchmark.py $(if $(SIZES),--sizes $(SIZES))

clean: ## remove build outputs (not the venv)
	rm -rf build site .pytest_cache
