# Plainsight: `make demo` to try it, `make test` to check it. Both set everything up first.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PYTHON := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PYTHON) manage.py
SYSTEM_PYTHON ?= python3

.PHONY: help setup demo serve test lint format bench static browser clean mobile schema app-screenshots apk apk-source

help:
	@echo "make demo   set up, load the demo borough and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff and Django's system checks"
	@echo "make bench  performance figures (tests/benchmarks)"
	@echo "make mobile the Kivy app on the desktop, against SERVER (default http://127.0.0.1:8000)"
	@echo "make apk    the app's Android package, mobile/bin/*.apk (needs buildozer; see docs/mobile-app.md)"

# --- set-up: each step reruns only when its inputs change -------------------------------
$(VENV)/.installed: pyproject.toml
	@test -x $(PYTHON) || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev,mobile]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

portal/static/build/plainsight.css: node_modules/.installed $(wildcard portal/static_src/scss/*.scss)
	@mkdir -p portal/static/build
	npm run --silent build:css

# Source maps and images too: production's collectstatic refuses files whose references are missing.
portal/static/vendor/.copied: node_modules/.installed Makefile
	@mkdir -p portal/static/vendor/leaflet portal/static/vendor/govuk-frontend
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
	  node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images portal/static/vendor/leaflet/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
	  node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map portal/static/vendor/govuk-frontend/
	@touch $@

static: portal/static/build/plainsight.css portal/static/vendor/.copied

setup: $(VENV)/.installed static

# Browser tests need Debian's Chromium; install it when we can (root with apt-get).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (Debian packages chromium, chromium-driver)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium chromium-driver' for the browser tests."; \
	  fi; \
	fi

# --- the two commands -------------------------------------------------------------------
demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo ""
	@echo "Plainsight is starting at http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

serve: demo

test: setup browser
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# --- the rest ---------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check

# The committed OpenAPI schema; tests/api/test_schema.py fails when it is out of date.
schema: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file api/openapi.yaml

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The app on the desktop. Start the portal first (make demo) in another terminal.
SERVER ?= http://127.0.0.1:8000
mobile: $(VENV)/.installed
	$(PYTHON) -m mobile --server $(SERVER)

# The Android package. buildozer needs main.py at the top of its source folder, so the app is
# staged in mobile/build/src first (main.py, mobile, dtpr_assets, the DTPR icons as PNG); the
# APK lands in mobile/bin/. buildozer downloads the Android SDK, NDK and Java tools on first use.
apk-source: $(VENV)/.installed
	$(PYTHON) -m mobile.apk_staging --out mobile/build/src

apk: apk-source
	@command -v buildozer >/dev/null || { echo "buildozer is missing: pip install buildozer (see docs/mobile-app.md)"; exit 1; }
	cd mobile && buildozer android debug

# Re-take the app's screenshots shown in the README and docs/mobile-app.md.
app-screenshots: $(VENV)/.installed
	APP_SCREENSHOTS_DIR=docs/images/app $(PYTHON) -m pytest tests/mobile/screens -q

bench: setup
	$(PYTHON) tests/benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules portal/static/build portal/static/vendor staticfiles
