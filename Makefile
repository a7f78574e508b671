# Taizhang — the two commands a newcomer needs: `make demo` and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  := $(BIN)/python
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: demo test test-sqlite test-pg install assets messages lint bench bench-assessment bench-cockpit bench-grid eval serve worker clean check-deploy

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

taizhang/static/vendor/htmx/htmx.min.js: package.json package-lock.json scripts/build_assets.sh
	./scripts/build_assets.sh

assets: taizhang/static/vendor/htmx/htmx.min.js

messages: install
	cd taizhang && ../$(BIN)/django-admin compilemessages --ignore=.venv -v0

## demo: set everything up, load the demo district, serve on 127.0.0.1:8000
demo: install assets messages
	$(PYTHON) manage.py migrate --noinput -v0
	TAIZHANG_DEMO_URL=http://$(HOST):$(PORT)/ $(PYTHON) manage.py demo_load
	HOST=$(HOST) PORT=$(PORT) ./scripts/serve_demo.sh

## test: the whole suite, on SQLite and on a throwaway PostgreSQL
test: install assets messages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-pg

test-sqlite:
	$(BIN)/pytest

test-pg:
	./scripts/with_postgres.sh $(BIN)/pytest

check-deploy: install
	TAIZHANG_SECRET_KEY=check-deploy-$$RANDOM-not-a-real-secret-0123456789abcdefghijklmnop \
	  DJANGO_SETTINGS_MODULE=taizhang.settings.prod $(PYTHON) manage.py check --deploy --fail-level WARNING

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: district-year benchmark on PostgreSQL (not part of make test)
bench: install assets
	./scripts/with_postgres.sh $(PYTHON) bench/ledger_bench.py

## bench-cockpit: the leaders' cockpit on the district-year plus 24 months of indicators (PostgreSQL)
bench-cockpit: install assets
	./scripts/with_postgres.sh $(PYTHON) bench/cockpit_bench.py

## bench-assessment: full recomputation of a district-year's assessment scores on PostgreSQL
bench-assessment: install
	./scripts/with_postgres.sh $(PYTHON) bench/assessment_bench.py

## bench-grid: grid intake over HTTP and the board/statistics at 1M cases, on PostgreSQL
bench-grid: install assets
	./scripts/with_postgres.sh $(PYTHON) bench/grid_bench.py

eval: install
	$(PYTHON) bench/extract/eval.py

worker: install
	$(PYTHON) manage.py db_worker

clean:
	rm -rf $(VENV) node_modules var taizhang/static/vendor .tmp
