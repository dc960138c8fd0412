# iwo: two commands do all the setup on a fresh machine.
#   make test   install everything (venv, pinned Python deps, anvil from npm), compile, run the suite
#   make demo   a collective's life end to end on a local anvil node (started and stopped here)
#   make bench  gas per operation from receipts on anvil -> bench/gas.json, bench/gas.md;
#               CLI timings beside `cast` -> bench/cli.json, bench/cli.md;
#               the vote page and its relayer -> bench/page.json, bench/page.md

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

.PHONY: install test test-fast demo bench compile clean fuzz lint browser

install: $(VENV)/.installed $(ANVIL)

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# `npm ci` installs exactly the lock file's versions and never rewrites the tracked lock file.
$(ANVIL): tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	@test -x $(ANVIL) || { echo "anvil binary missing after npm ci" >&2; exit 1; }
	@touch $@

# --force: Ape tracks each file, not what it imports, so an edit to a governor module
# (contracts/governor/*.vy, compiled into IwoGovernor.vy) would otherwise go unnoticed.
# The stamp makes a second run free: any change under contracts/ (or to what drives the
# compile) compiles everything again.
CONTRACT_SOURCES := $(shell find contracts -name '*.vy' -o -name '*.vyi')
compile: install .build/compiled.stamp
.build/compiled.stamp: $(CONTRACT_SOURCES) ape-config.yaml tools/export_artifacts.py | install
	$(BIN)/ape compile --force
	$(BIN)/python tools/export_artifacts.py
	@mkdir -p .build; touch $@

# Static checks: ruff (lint + format), mamushi (Vyper format), vyper-guard against
# the reviewed baselines in security/ (a new finding fails; see SECURITY.md).
# vyper-guard reads one file at a time: the governor's modules are analysed on their own.
CONTRACTS := IwoGovernor governor/settings governor/roll governor/proposals governor/ballots \
	IwoCard IwoTreasury IwoFactory IwoMutualAid IwoEscrow IwoRates
lint: install .build/lint-contracts.stamp
	$(BIN)/ruff check cli scripts tests tools
	$(BIN)/ruff format --check cli scripts tests tools

# The contracts' checks (about a minute) run again only when a contract or a baseline changed.
.build/lint-contracts.stamp: $(CONTRACT_SOURCES) $(wildcard security/*.json) | install
	$(BIN)/mamushi --check -l 100 $(CONTRACT_SOURCES)
	@mkdir -p .build; for c in $(CONTRACTS); do n=$${c//\//-}; \
	  $(BIN)/vyper-guard analyze contracts/$$c.vy --baseline-file security/vyper-guard-$$n.json --ci \
	    -f json -o .build/vyper-guard-$$n.json >/dev/null 2>&1 \
	    || { echo "vyper-guard: new finding in $$c (see .build/vyper-guard-$$n.json)"; exit 1; } & \
	done; ok=1; for job in $$(jobs -p); do wait $$job || ok=0; done; [ $$ok = 1 ] \
	  && echo "vyper-guard: no findings beyond the reviewed baselines"
	@touch $@

# The page's tests (tests/web) drive Debian's Chromium through Playwright (never `playwright
# install`: nothing is downloaded at run time). As root this installs it when missing; a non-root
# user runs `sudo apt-get install -y chromium` once.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "tests/web need Chromium: run once  sudo apt-get install -y chromium" >&2; exit 1; }

# Everything but three Ape modules runs on plain pytest (titanoboa for the contracts, anvil for
# the CLI), spread over two workers a test file at a time; the Ape set-up, the shipped
# artifacts and the EIP-712 digests against an Ape deployment run under `ape test`.
PYTEST := $(BIN)/python -m pytest -p no:ape_test -p no:cacheprovider -q
APE_TESTS := tests/test_ape_stack.py tests/test_artifacts.py tests/test_domain.py
test: install compile lint browser
	$(PYTEST) -n 2 --dist loadfile --no-loadscope-reorder --durations=15 --junitxml=.build/junit.xml tests --ignore=tests/test_ape_stack.py \
	  --ignore=tests/test_artifacts.py --ignore=tests/test_domain.py
	$(BIN)/ape test -q $(APE_TESTS)

# The inner loop: contract unit tests and the domain layer, under a minute.
test-fast: install compile
	$(PYTEST) -n 2 --dist loadfile tests/contracts tests/transparency
	$(BIN)/ape test -q tests/test_domain.py

# Many more stateful sequences than `make test` runs.
fuzz: install compile
	IWO_FUZZ_EXAMPLES=5000 $(PYTEST) tests/fuzz

demo: install compile
	scripts/demo.sh

bench: install compile browser
	APE_FOUNDRY_HOST=http://127.0.0.1:$$($(PYTHON) tools/free_port.py) $(BIN)/ape run bench --network ethereum:local:foundry
	$(BIN)/python tools/bench_cli.py
	$(BIN)/python tools/bench_page.py
	$(BIN)/python tools/bench_rates.py

clean:
	rm -rf .build .ape/packages .pytest_cache .hypothesis
