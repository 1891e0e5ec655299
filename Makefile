# ml-connector — the two set-up commands are `make demo` and `make test`.
# Everything a target needs (npm packages, Kafka jars, the FerretDB build) is installed on first
# use and cached under node_modules/ and .infra/.

SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

INFRA := infra/local/infra.sh
RUN_DIR := .run

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json $(wildcard */*/package.json) cli/package.json e2e/package.json
	@command -v node >/dev/null || { echo "Node.js 20 is required" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: install
install: node_modules/.package-lock.json ## Install npm packages (once; again when a package.json changes)

.PHONY: infra-up infra-down infra-status
infra-up: ## Start the local Kafka broker and FerretDB (builds them the first time)
	@bash $(INFRA) up
infra-down: ## Stop the local Kafka broker and FerretDB
	@bash $(INFRA) down
infra-status: ## Show whether the local stack is running
	@bash $(INFRA) status

.PHONY: lint typecheck proto-check chart-check check
lint: install ## Biome lint and format check over the whole repo
	npx biome check .
typecheck: install ## Strict TypeScript over every package
	npx tsc -p tsconfig.json --noEmit
proto-check: install ## Fail when the generated gRPC types are stale
	bash proto/generate.sh --check
chart-check: ## Dockerfiles, Helm lint, render and schema validation of the chart (offline; builds helm once)
	bash scripts/chart-check.sh
check: lint typecheck proto-check chart-check ## All static checks

.PHONY: test
test: check ## Static checks, then every test on the real local stack (started and stopped here)
	@bash scripts/ensure-prometheus.sh
	@was_up=0; bash $(INFRA) status >/dev/null 2>&1 && was_up=1; \
	bash $(INFRA) up; \
	status=0; bash scripts/test.sh --all || status=$$?; \
	if [ $$was_up = 0 ]; then bash $(INFRA) down; fi; \
	exit $$status

.PHONY: test-unit
test-unit: install ## Unit tests only (nothing needs to run)
	bash scripts/test.sh

.PHONY: bench
bench: install infra-up ## Benchmarks (parser, SP-API quota, jde-poster, whole pipeline; BENCH_ROWS=n sizes the last); see docs/benchmarks.md
	node --import tsx e2e/bench/parser.ts
	node --import tsx e2e/bench/quota.ts
	node --import tsx e2e/bench/jde-poster.ts
	node --import tsx e2e/bench/pipeline.ts $(BENCH_ROWS)

.PHONY: demo
demo: install infra-up ## Run the stack, simulators and the four services locally; `make down` stops them
	bash scripts/demo.sh up

.PHONY: down
down: ## Stop what `make demo` started, and the local stack
	-bash scripts/demo.sh down
	bash $(INFRA) down
