# Night Cramps: `make run` serves the site, `make test` runs the suite. `make help` lists the rest.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Loads .env (made by `make .env`) into a recipe's shell.
WITH_ENV := set -a && . ./.env && set +a &&

.DEFAULT_GOAL := help
.PHONY: help install run editor test test-database test-all test-postgres coverage \
	test-sign-off-long lint format messages check bench lighthouse measure-editor

help: ## List the commands
	@grep -E '^[a-z.-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install everything

.env: ## Make a local .env with a fresh secret key, for plain-http serving on localhost
	@printf '%s\n' \
	  '# Made by make; see .env.example for every variable. Never commit this file.' \
	  "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  'DJANGO_HTTPS=false' \
	  "DJANGO_SITE_ORIGIN=http://127.0.0.1:$(PORT)" \
	  'DJANGO_SERVE_MEDIA=true' > $@
	@echo "Wrote .env with a new secret key."

run: install .env ## Migrate, load the seed article into an empty database, serve on :8000
	$(WITH_ENV) $(BIN)/python manage.py migrate --no-input
	$(WITH_ENV) $(BIN)/python manage.py seed_if_empty
	$(WITH_ENV) $(BIN)/python manage.py rebuild_search_index
	$(WITH_ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "Serving http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo "Editors sign in at http://127.0.0.1:$(PORT)/admin/ - create an account with: make editor"
	@echo ""
	$(WITH_ENV) PORT=$(PORT) exec $(BIN)/gunicorn cramps.wsgi

# With all three DJANGO_SUPERUSER_* set, createsuperuser reads them itself and asks nothing.
editor: install .env ## Create an editor (superuser) account; DJANGO_SUPERUSER_* skip the questions
	$(WITH_ENV) if [ -n "$$DJANGO_SUPERUSER_USERNAME" ] && [ -n "$$DJANGO_SUPERUSER_EMAIL" ] \
	  && [ -n "$$DJANGO_SUPERUSER_PASSWORD" ]; then \
	  $(BIN)/python manage.py createsuperuser --no-input; \
	else \
	  $(BIN)/python manage.py createsuperuser; \
	fi

# One test process per core (pytest-xdist). Tests are handed out one by one, in the order
# pytest-django gives them (transactional tests, which empty the database, after the rest);
# modules that share state run whole in one process (tests/conftest.py ONE_PROCESS).
TEST_PROCESSES ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_PROCESSES) --dist loadgroup
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/cramps
# Extra pytest arguments, e.g. PYTEST_ARGS="-k search" or the coverage options below.
PYTEST_ARGS ?=
COVERAGE_ARGS := --cov --cov-report=

test: install ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings tests.settings
	$(PYTEST) $(PYTEST_ARGS)

test-database: install ## Only the tests that depend on the database (CI runs them on PostgreSQL too)
	$(PYTEST) -m database $(PYTEST_ARGS)

test-all: install ## The whole suite on SQLite, then again on PostgreSQL (POSTGRES_URL)
	$(MAKE) test
	DATABASE_URL=$(POSTGRES_URL) $(MAKE) test

# Coverage of both runs together; [tool.coverage.report] fail_under in pyproject.toml is the
# floor CI keeps.
coverage: install ## Coverage as CI measures it: the suite on SQLite, the database tests on PostgreSQL
	rm -f .coverage .coverage.*
	$(MAKE) test PYTEST_ARGS="$(COVERAGE_ARGS)"
	DATABASE_URL=$(POSTGRES_URL) $(MAKE) test-database PYTEST_ARGS="$(COVERAGE_ARGS) --cov-append"
	$(BIN)/coverage report

test-sign-off-long: install ## The sign-off state machine, longer and with a random seed
	HYPOTHESIS_EXAMPLES=$${HYPOTHESIS_EXAMPLES:-200} HYPOTHESIS_STEPS=$${HYPOTHESIS_STEPS:-40} \
	  HYPOTHESIS_RANDOM=1 $(BIN)/pytest tests/test_sign_off_invariant.py -p no:cacheprovider

test-postgres: install ## Run the whole suite against the local PostgreSQL
	DATABASE_URL=$(POSTGRES_URL) $(MAKE) test

lint: install ## Check style with ruff, and the layers of articles/ with import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The reader pages' words: find them in templates and Python, then compile the catalogue
# (both files are committed, so running the site needs no gettext).
messages: install ## Update the Russian catalogue of interface words (locale/ru) and compile it
	$(BIN)/python manage.py makemessages -l ru --no-obsolete --settings tests.settings \
	  --ignore=.venv --ignore=templates/admin --ignore=tests --ignore='static*' --ignore=deploy
	$(BIN)/python manage.py compilemessages -l ru --settings tests.settings --ignore=.venv

format: install ## Format and fix style with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Load-test the article page against a static file with wrk (docs/performance.md)
	$(BIN)/python deploy/bench.py

lighthouse: install ## Lighthouse's scores for the reader pages in Chromium (npm ci on first use)
	$(BIN)/python deploy/lighthouse.py

measure-editor: install ## The editors' change page in Chromium: requests, size, time to usable
	$(BIN)/python deploy/change_page.py

check: install ## Django's deployment checks with production-like settings
	DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=example.org $(BIN)/python manage.py check --deploy --fail-level WARNING
