# The two commands of the README:
#   make run    set up, build the web client, and serve a demo meeting on http://localhost:8080
#   make test   set up, install what the tests need (Chromium, nginx, Redis), and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8080
DB     ?= data/edlib.db
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)

.PHONY: run test setup web services lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

run: setup web
	$(BIN)/edlib serve --demo --db $(DB) --port $(PORT) --log-format text

# Test-time services: Debian's Chromium and nginx, and a local Redis (started if none answers).
services:
	@command -v chromium >/dev/null && command -v nginx >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx >/dev/null)
	@command -v redis-server >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

lint: setup
	$(BIN)/python -m edlib_server.codegen --check
	$(BIN)/ruff check edlib server tests bench
	$(BIN)/mypy

test: setup web services lint
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/map/run.py
	$(BIN)/python bench/delphi/run.py
	$(BIN)/python bench/fanout/run.py
	$(BIN)/python bench/scaleout/run.py

clean:
	rm -rf $(VENV) web/node_modules web/dist data
