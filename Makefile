# iwo: two commands do all the setup on a fresh machine.
#   make test   install everything (venv, pinned Python deps, anvil from npm), compile, run the suite
#   make demo   a collective's life end to end on a local anvil node (started and stopped here)
#   make bench  gas per operation from receipts on anvil -> bench/gas.json, bench/gas.md

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ANVIL_DIR := tools/node_modules/@foundry-rs/anvil-linux-amd64/bin
ANVIL := $(ANVIL_DIR)/anvil

# Keep Ape/vvm state inside the project; put the venv and anvil first on PATH
# (ape-vyper finds `vyper`, ape-foundry finds `anvil` there).
export APE_DATA_FOLDER := $(CURDIR)/.ape
export VVM_BINARY_PATH := $(CURDIR)/.ape/vvm
export PATH := $(CURDIR)/$(BIN):$(CURDIR)/$(ANVIL_DIR):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install test demo bench compile clean fuzz lint

install: $(VENV)/.installed $(ANVIL)

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

$(ANVIL): tools/package.json tools/package-lock.json
	npm install --prefix tools --no-audit --no-fund --loglevel=error
	@test -x $(ANVIL) || { echo "anvil binary missing after npm install" >&2; exit 1; }
	@touch $@

compile: install
	$(BIN)/ape compile
	$(BIN)/python tools/export_artifacts.py

# Static checks: ruff (lint + format), mamushi (Vyper format), vyper-guard against
# the reviewed baselines in security/ (a new finding fails; see SECURITY.md).
CONTRACTS := IwoGovernor IwoCard IwoTreasury IwoFactory IwoEscrow IwoRates
lint: install
	$(BIN)/ruff check cli scripts tests tools
	$(BIN)/ruff format --check cli scripts tests tools
	$(BIN)/mamushi --check -l 100 $$(find contracts -name '*.vy' -o -name '*.vyi')
	@for c in $(CONTRACTS); do \
	  $(BIN)/vyper-guard analyze contracts/$$c.vy --baseline-file security/vyper-guard-$$c.json --ci \
	    -f json -o .build/vyper-guard-$$c.json >/dev/null 2>&1 \
	    || { echo "vyper-guard: new finding in $$c (see .build/vyper-guard-$$c.json)"; exit 1; }; \
	done; echo "vyper-guard: no findings beyond the reviewed baselines"

test: install compile lint
	$(BIN)/ape test tests -q

# Many more stateful sequences than `make test` runs.
fuzz: install compile
	IWO_FUZZ_EXAMPLES=5000 $(BIN)/ape test tests/fuzz -q

demo: install compile
	scripts/demo.sh

bench: install compile
	APE_FOUNDRY_HOST=http://127.0.0.1:$$($(PYTHON) tools/free_port.py) $(BIN)/ape run bench --network ethereum:local:foundry

clean:
	rm -rf .build .ape/packages .pytest_cache .hypothesis
