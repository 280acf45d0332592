# sikumuh: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv

VENDOR := sikumuh/web/static/vendor
# axe-core (accessibility checks) is for the browser tests only: never under static/, never served.
TEST_VENDOR := tests/vendor

.PHONY: install install-dev vendor demo test test-postgres test-browser lint typecheck bench bench-postgres fuzz loadtest messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

# uv is told which interpreter to use, so it never downloads a Python of its own.
$(VENV)/.installed: pyproject.toml $(VENDOR)/.stamp | $(BIN)/python
	$(UV) pip install --quiet --python $(BIN)/python -e .
	touch $@

# Front-end libraries come from the npm registry at build time and are served by us: no CDN.
$(VENDOR)/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --ignore-scripts --silent
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet $(VENDOR)/chartjs $(VENDOR)/htmx
	cp -r frontend/node_modules/leaflet/dist/leaflet.js frontend/node_modules/leaflet/dist/leaflet.js.map \
	  frontend/node_modules/leaflet/dist/leaflet.css frontend/node_modules/leaflet/dist/images \
	  frontend/node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp frontend/node_modules/chart.js/dist/chart.umd.min.js frontend/node_modules/chart.js/dist/chart.umd.min.js.map \
	  frontend/node_modules/chart.js/LICENSE.md $(VENDOR)/chartjs/
	cp frontend/node_modules/htmx.org/dist/htmx.min.js frontend/node_modules/htmx.org/LICENSE $(VENDOR)/htmx/
	rm -rf $(TEST_VENDOR) && mkdir -p $(TEST_VENDOR)/axe-core
	cp frontend/node_modules/axe-core/axe.min.js frontend/node_modules/axe-core/LICENSE $(TEST_VENDOR)/axe-core/
	touch $@

vendor: $(VENDOR)/.stamp

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(UV) pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/sikumuh demo

test: install-dev
	$(BIN)/python -m pytest -n auto

# The same suite on the local PostgreSQL (CI does this too).
test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sikumuh} $(BIN)/python -m pytest -n auto

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy sikumuh config

bench: install-dev
	$(BIN)/python bench/score_bench.py
	$(BIN)/python bench/dashboard_bench.py
	$(BIN)/python bench/plan_bench.py

# The dashboard benchmark on the local PostgreSQL (creates and drops its own database).
bench-postgres: install-dev
	$(BIN)/python bench/dashboard_bench.py --postgres postgres://postgres@127.0.0.1:5432/sikumuh_bench

# The demo on PostgreSQL behind `sikumuh serve`, 20 sessions for 40 s, then the same against
# the development server (creates and drops its own database; issue 9's goals).
loadtest: install-dev
	$(BIN)/python bench/loadtest.py --postgres postgres://postgres@127.0.0.1:5432/sikumuh_loadtest

# Browser tests alone (Playwright driving Debian's chromium).
test-browser: install-dev
	$(BIN)/python -m pytest -m browser

# The fuzz targets of every reader, thousands of examples each (CI runs them for seconds).
fuzz: install-dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/fuzz

# Compile the translation catalogues (needs GNU gettext's msgfmt); the .mo files are committed.
messages:
	for po in sikumuh/locale/*/id/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po"; done

clean:
	rm -rf $(VENV) var/*.sqlite3 $(VENDOR) frontend/node_modules
