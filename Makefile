# Flashkeeper: `make demo` runs the system, `make test` runs every test. Both set up a fresh
# machine first (venv, npm packages, compile, front end, browser), and re-use what is there.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FRONTEND := web/frontend

# Compilers without downloads: py-solc-x and vvm find the project's shims here (TOOLCHAIN.md).
export SOLCX_BINARY_PATH := $(CURDIR)/toolchain/bin
export VVM_BINARY_PATH := $(CURDIR)/toolchain/bin
export PATH := $(CURDIR)/$(BIN):$(CURDIR)/toolchain/bin:$(PATH)
export PYTHONUNBUFFERED := 1

SOL_SOURCES := $(shell find contracts interfaces -name '*.sol' -not -path '*/.cache/*' 2>/dev/null)
FRONTEND_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/index.html $(FRONTEND)/package.json \
	$(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig*.json -type f 2>/dev/null)

.PHONY: help setup prepare compile frontend browser lint test test-contracts test-python test-frontend \
	lane-chain lane-app demo bench lint clean slither

help:
	@echo "make demo    anvil + world + market + keeper + dashboard (prints the URL and login)"
	@echo "make test    the whole test suite"
	@echo "make bench   every benchmark (make bench-<name> for one: $(BENCHES))"

# --- set-up -------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# ape copies (and caches the manifest of) a local dependency when it installs it: re-install
# interfaces/ before each compile, compile every interface, then the contracts. Always with
# --force: ape recompiles only the files that changed, not the contracts that inherit from
# them (an edit to GuardedUpgradeable left DexRegistry's bytecode stale), and this rule runs
# only when a source changed anyway.
.build/__local__.json: $(SOL_SOURCES) ape-config.yaml $(VENV)/.installed node_modules/.installed
	-$(BIN)/ape pm uninstall flashkeeper-interfaces --yes >/dev/null 2>&1
	$(BIN)/ape pm install ./interfaces --name flashkeeper-interfaces --version local
	rm -rf contracts/.cache/flashkeeper-interfaces
	$(BIN)/ape pm compile flashkeeper-interfaces --version local --force
	$(BIN)/ape compile --force
	touch $@

compile: .build/__local__.json

$(FRONTEND)/dist/index.html: $(FRONTEND_SOURCES) node_modules/.installed
	@if [ -f $(FRONTEND)/package.json ]; then \
		cd $(FRONTEND) && npm ci --no-audit --no-fund && npm run build; \
	else mkdir -p $(FRONTEND)/dist && echo "front end not built" > $@; fi

frontend: $(FRONTEND)/dist/index.html

# Debian chromium for the browser tests (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

setup: $(VENV)/.installed node_modules/.installed compile frontend

# The set-up's steps that do not need each other run side by side: pip, npm, apt and the
# Slither venv first, then the compile next to the front end's build (each waits only for
# what it needs). On a fresh machine that is minutes of `make test`, spent mostly waiting on
# downloads or on one core. Each step's output is printed whole when it ends.
SIDE_BY_SIDE := $(MAKE) -j4 --output-sync=target --no-print-directory

prepare:
	$(SIDE_BY_SIDE) setup browser .venv-slither/.installed

# --- the two commands ---------------------------------------------------------------------
# The quick checks (lint, the front end's tests, Slither) together, then the suites in two
# lanes side by side, each keeping about one core busy (Python driving a node) and each about
# 7 minutes on a 2-core machine: the ape suite then tests/world, next to the other Python
# tests. They share nothing: every node gets a free port, every test project a temporary
# folder. The lanes print as they go, each line tagged with its lane, rather than whole at
# their ends: a CI that stops a job after some minutes without output would stop this one.
test: prepare
	$(SIDE_BY_SIDE) lint test-frontend slither
	$(MAKE) -j2 --no-print-directory lane-chain lane-app

APE_TEST := $(BIN)/ape test tests/contracts tests/executor -q --durations=8
PYTEST := $(BIN)/pytest -p no:ape_test -q --durations=12

# every contract rule runs under `ape test`: the registries on ape's own anvil, the executor on
# the world's (real protocol bytecode, deployed by keeper.world)
test-contracts: setup
	$(APE_TEST)

test-python: setup
	$(PYTEST) tests --ignore=tests/contracts --ignore=tests/executor

lane-chain: setup
	set -o pipefail; { $(APE_TEST) && $(PYTEST) tests/world; } 2>&1 | sed -u 's/^/[chain] /'

lane-app: setup
	set -o pipefail; $(PYTEST) tests --ignore=tests/contracts --ignore=tests/executor \
		--ignore=tests/world 2>&1 | sed -u 's/^/[app] /'

test-frontend: frontend
	@if [ -f $(FRONTEND)/package.json ]; then cd $(FRONTEND) && npm test; fi

demo:
	$(SIDE_BY_SIDE) setup
	$(BIN)/flashkeeper demo

# Slither in its own venv: its solc-select would put a `solc` on the main venv's PATH. It
# compiles through the solc-js shim's --standard-json; High/Medium findings fail the target
# unless a `slither-disable` comment with its reason explains them.
.venv-slither/.installed:
	$(PYTHON) -m venv .venv-slither
	.venv-slither/bin/python -m pip install -q 'slither-analyzer==0.11.6'
	touch $@

slither: .venv-slither/.installed node_modules/.installed
	.venv-slither/bin/python toolchain/slither_check.py 2>&1 | grep -v '^Warning\|^ *|\|^ *-->\|^\s*$$' \
		| tail -n 20; exit $${PIPESTATUS[0]}

# --- benchmarks (bench/<name>/__main__.py; last line is one JSON object) -------------------
BENCHES := $(sort $(notdir $(patsubst %/__main__.py,%,$(wildcard bench/*/__main__.py))))

bench: $(addprefix bench-,$(BENCHES))

bench-%: setup
	QUICK=$(QUICK) $(PY) -m bench.$*

# mypy where it pays off: the pure cores (math, state, detection, reporting, throttling) and
# keeper/execute (its calldata and access list pure, its simulation a thin shell over them)
TYPED := keeper/math keeper/detect keeper/state keeper/execute keeper/report.py web/live/batcher.py \
	web/api/pnl.py web/api/spreads.py

lint: $(VENV)/.installed
	$(BIN)/ruff check keeper web scripts tests bench
	$(BIN)/mypy $(TYPED) --ignore-missing-imports --follow-imports=silent

clean:
	rm -rf .build contracts/.cache $(FRONTEND)/dist var
