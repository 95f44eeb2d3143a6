# Two commands do everything on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js
VNU_VERSION := 26.9.27
VNU := var/node/node_modules/vnu-jar/build/dist/vnu.jar

# Development defaults; production sets these in its own environment.
export DEBUG ?= true
export DJANGO_SETTINGS_MODULE ?= config.settings

# The newest Python >= 3.12 on this machine (3.13 preferred, see .python-version).
PYTHON := $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && \
	$$p -c 'import sys; print(sys.executable)' && break; done)

.PHONY: run test bench bench-smoke setup install install-dev browser-deps html-checker system-deps lint clean

# `make run PORT=8123` serves on another port; the site's links follow it until an owner sets a domain.
PORT ?= 8000
ADDRESS = 127.0.0.1:$(PORT)

# Only `make run` asks for the first administrator's email address (when a terminal is attached).
run: FIRST_ADMIN_OPTIONS = --ask-email
run: install setup
	$(PY) manage.py site_address $(ADDRESS)
	$(PY) manage.py who_moderates
	$(PY) manage.py runserver $(ADDRESS)

test: install-dev setup browser-deps html-checker system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The production stack measured on this machine (PostgreSQL and Redis as CI has
# them, gunicorn, the shipped nginx); writes docs/benchmarks.md. Not part of `make test`.
bench: install system-deps
	$(PY) -m bench.run $(BENCH_ARGS)

# A moment of each measurement: CI runs it so that the benchmark keeps working.
bench-smoke: install system-deps
	$(PY) -m bench.run --smoke

setup:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_article
	$(PY) manage.py create_first_admin --address $(ADDRESS) $(FIRST_ADMIN_OPTIONS)

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (3.13 preferred)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium and inject axe-core from npm. Outside CI
# a missing Chromium only skips those tests; in CI (CI=true) it fails them.
browser-deps: $(AXE)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium is missing and cannot be installed here: browser tests will be skipped."; fi; \
	fi

# The front-proxy test and the benchmark run Debian's nginx; the benchmark loads it with wrk.
# The HTML validity test runs the Nu Html Checker (vnu.jar from npm) on Java.
system-deps:
	@missing=""; for tool in nginx:nginx wrk:wrk java:default-jre-headless; do \
		command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Missing$$missing: the tests that need them will be skipped and the benchmark may not run."; fi; \
	fi

$(AXE):
	@mkdir -p var/node
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --no-package-lock --ignore-scripts --save-exact --prefix var/node axe-core@$(AXE_VERSION); \
	else echo "npm is missing: accessibility checks in the browser tests will fail."; fi

# The Nu Html Checker, which the HTML validity test runs once on the rendered pages. It runs on
# Debian's Java (system-deps): --ignore-scripts, here and for axe-core (npm installs what
# var/node/package.json lists with either), keeps its postinstall from downloading another JDK.
html-checker: $(VNU)

$(VNU):
	@mkdir -p var/node
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --no-package-lock --ignore-scripts --save-exact --prefix var/node vnu-jar@$(VNU_VERSION); \
	else echo "npm is missing: the HTML validity test will be skipped (failed in CI)."; fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var
