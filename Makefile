# Kom Videre: developer tasks. Needs only python3 (3.11+, with venv), git and make.
#   make run    start the site on http://127.0.0.1:8000 with demo data (SQLite, no config)
#   make test   run the test suite (pass options with PYTEST_ARGS="-k cases -x")
# See README.md for everything else.

PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
LOCK_ARGS ?=
RUN_ADDR ?= 127.0.0.1:8000

BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages lock clean install install-dev bench

help:
	@echo "make run       start the dev server on http://$(RUN_ADDR) with demo data"
	@echo "make test      run pytest (PYTEST_ARGS=... to pass options)"
	@echo "make lint      ruff check + ruff format --check + lint-imports (the layers)"
	@echo "make format    ruff check --fix + ruff format"
	@echo "make messages  update and compile the Danish catalogue (needs gettext)"
	@echo "make lock      re-lock requirements*.txt from pyproject.toml with uv"
	@echo "make clean     remove the virtualenv, caches and collected static files"

# --- Virtual environment and dependencies -----------------------------------------------------
# The stamp files make repeated runs cheap: pip runs again only when a lock file changes.

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is required ($(PYTHON) is $$($(PYTHON) --version 2>&1))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(PIP_INSTALL) --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(PY)
	$(PIP_INSTALL) --require-hashes -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

# --- Everyday targets -----------------------------------------------------------------------

# DEBUG on: local settings (no secret key or allowed hosts needed, console e-mail, SQLite unless
# DATABASE_URL is set). The compiled .mo files are committed, so gettext is not needed here.
run: export DJANGO_DEBUG = 1
run: $(VENV)/.installed-runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(RUN_ADDR)

test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs Debian's gettext (apt-get install gettext). Commit the resulting .po and .mo files.
messages: export DJANGO_DEBUG = 1
messages: $(VENV)/.installed-runtime
	$(MANAGE) makemessages -l da --ignore=.venv --ignore=node_modules \
		--ignore=staticfiles --ignore=media
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

# uv is used only for locking; installing needs nothing but pip, which checks every file against
# the locked sha256 hashes (--require-hashes). LOCK_ARGS=--upgrade to bump.
lock: | $(PY)
	@test -x $(BIN)/uv || $(PIP_INSTALL) uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes $(LOCK_ARGS) \
		-o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		$(LOCK_ARGS) -o requirements-dev.txt

# Keeps db.sqlite3 and media/ (your data).
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Load benchmark on PostgreSQL with wrk (see bench/README.md). Not part of make test.
bench: $(VENV)/.installed-runtime
	bash bench/run.sh
