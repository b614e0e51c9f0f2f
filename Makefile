# DRS — the two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
MANAGE := $(PY) backend/manage.py
PYTEST := $(PY) -m pytest -q --durations=20
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/drs
REDIS_SERVER_URL ?= redis://127.0.0.1:6379/0

.PHONY: run install runtime venv frontend frontend-build migrate test test-deps sshd-deps test-suites test-sqlite test-postgres \
        test-frontend test-e2e lint schema client check-client dev bench services docker-test \
        audit chaos fuzz docs

run: install migrate
	$(MANAGE) bootstrap_admin
	$(MANAGE) serve --port $(PORT)

install: runtime frontend-build

# `runtime`: what `make run` needs (requirements-runtime.lock). `venv`: that plus the
# development tools (tests, lint, client generation, audit) from requirements.lock.
runtime: .venv/.stamp
.venv/.stamp: pyproject.toml requirements-runtime.lock
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-runtime.lock
	$(PIP) install -q --no-deps -e .
	touch $@

venv: .venv/.stamp-dev
.venv/.stamp-dev: .venv/.stamp requirements.lock
	$(PIP) install -q -r requirements.lock
	touch $@

frontend: frontend/node_modules/.stamp
frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# The SPA is rebuilt only when a source of it is newer than the last build.
SPA_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
	frontend/vite.config.ts $(wildcard frontend/tsconfig*.json) frontend/package-lock.json
frontend-build: frontend/dist/index.html
frontend/dist/index.html: frontend/node_modules/.stamp $(SPA_SOURCES)
	cd frontend && npm run build
	touch $@

migrate: runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v 0

dev: venv install migrate
	$(MANAGE) serve --port $(PORT) & cd frontend && npm run dev

# --- tests -------------------------------------------------------------------------------
test: test-deps lint test-suites test-frontend test-e2e

# The two database modes at once: the suites mostly wait on sshd, Slurm and the network,
# and every run keeps its own data dir, test database, Redis prefix, sshd and Slurm.
test-suites: test-deps
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

test-deps: venv frontend
	@command -v /usr/sbin/sshd >/dev/null && command -v chromium >/dev/null && command -v tcsh >/dev/null \
	  && command -v /usr/sbin/slurmctld >/dev/null && command -v /usr/sbin/slurmd >/dev/null && command -v sbatch >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server chromium tcsh \
	    slurmctld slurmd slurm-client)
	bash tests/ensure_services.sh

test-sqlite: venv
	$(PYTEST) tests

# Server mode: everything that touches the database, Redis or the runner. The CLI and
# bench-smoke suites drive the same server code over HTTP and run once, in test-sqlite.
test-postgres: venv
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_SERVER_URL) $(PYTEST) tests \
	  --ignore=tests/cli --ignore=tests/bench

test-frontend: frontend
	cd frontend && npm test

test-e2e: venv install
	$(PY) tests/e2e/run.py

lint: venv frontend
	.venv/bin/ruff check backend tests examples
	.venv/bin/ruff format --check backend tests examples
	cd backend && ../.venv/bin/mypy drs drs_site
	.venv/bin/lint-imports --no-cache  # the layers of backend/drs (pyproject [tool.importlinter])
	$(MAKE) check-client
	cd frontend && npm run lint
	$(MAKE) audit
	@tmp=$$(mktemp -d) || exit 1; trap 'rm -rf "$$tmp"' EXIT; \
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir "$$tmp"

# The documentation (docs/, mkdocs.yml) as a static site in site/ (gitignored). Never
# --quiet with --strict: it hides the warnings that strict mode counts.
docs: venv
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict

# bandit (fails on medium/high), pip-audit and npm audit (skipped, saying so, where their
# advisory databases cannot be reached): scripts/audit.py, docs/reliability.md.
audit: venv frontend
	$(PY) scripts/audit.py

# Regenerate the committed OpenAPI schema from the backend.
schema: venv
	DRS_DATA_DIR=$$(mktemp -d) $(MANAGE) spectacular --validate --fail-on-warn --file schema/openapi.yaml

# Regenerate the committed OpenAPI schema, the SPA's typed client and the Python client
# (clients/python/drs_client) from the backend.
client: schema frontend
	cd frontend && npm run generate
	$(PY) clients/python/generate.py

# Fails when schema/openapi.yaml, the SPA's types or the Python client (PY_CLIENT_DIR, to
# check another copy) is stale, or the hand-written Python client code fails ruff or mypy.
PY_CLIENT_DIR ?= clients/python/drs_client
check-client: venv frontend
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; stale=0; \
	if DRS_DATA_DIR=$$tmp $(MANAGE) spectacular --validate --fail-on-warn --file $$tmp/openapi.yaml; then \
	  diff -u schema/openapi.yaml $$tmp/openapi.yaml || { echo "schema/openapi.yaml is stale"; stale=1; }; \
	  (cd frontend && npx openapi-typescript $$tmp/openapi.yaml -o $$tmp/schema.d.ts >/dev/null && \
	    npx biome format $$tmp/schema.d.ts --stdin-file-path=src/api/schema.d.ts < $$tmp/schema.d.ts > $$tmp/fmt.d.ts 2>/dev/null; \
	    diff -q src/api/schema.d.ts $$tmp/schema.d.ts >/dev/null || diff -q src/api/schema.d.ts $$tmp/fmt.d.ts >/dev/null) || \
	    { echo "frontend/src/api/schema.d.ts is stale"; stale=1; }; \
	else echo "the schema does not generate"; stale=1; fi; \
	$(PY) clients/python/generate.py --check --package $(PY_CLIENT_DIR) || stale=1; \
	if [ $$stale != 0 ]; then echo "stale generated code: run 'make client' and commit"; exit 1; fi
	cd clients/python && ../../.venv/bin/ruff check . && ../../.venv/bin/ruff format --check . && ../../.venv/bin/mypy

bench: venv sshd-deps
	$(PY) bench/run.py $(BENCH_ARGS)

# bench and the runner tests start their own OpenSSH sshd on loopback.
sshd-deps:
	@command -v /usr/sbin/sshd >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server)

# Fault scenarios (web restart, Redis down, database restart, SSH link cut) in server mode
# against a private PostgreSQL and redis-server started for them: tests/hardening/chaos.py.
chaos: test-deps
	$(PY) tests/hardening/chaos.py

# schemathesis against a live daphne until it answered DRS_FUZZ_REQUESTS (20,000) requests.
fuzz: venv
	DRS_FUZZ=1 $(PY) -m pytest -q -s -p no:cacheprovider -m fuzz tests/hardening

# Build the images, start docker/compose.yaml and run a job through it (tests/deploy/run.py).
# Installs docker.io, docker-compose and debootstrap when missing and starts dockerd as root.
docker-test: venv
	bash tests/deploy/docker_setup.sh
	$(PY) tests/deploy/run.py
