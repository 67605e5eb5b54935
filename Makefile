# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test install install-test lint format demo browser-deps system-deps clean

# pytest keeps the test modules and plugins it rewrites for assertions (about 500) only where Python may
# write bytecode; with PYTHONDONTWRITEBYTECODE set, every test process rewrites them all again.
unexport PYTHONDONTWRITEBYTECODE

# Packages go in with uv (from PyPI, like pip): it installs the test set into a new virtualenv in a few
# seconds, where pip took about 25. It leaves compiling to bytecode to the first import, which compiles
# only the modules used.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv

install: | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python .

# Installed again only when pyproject.toml changes: CI's second pass, and each `make test`, skip it.
install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python ".[test]"
	touch $@

# Debian packages the application needs: Graphviz's `dot` lays out the accountability map, Pango and a font
# let WeasyPrint draw PDFs. Installed when missing and we may (as root); otherwise named.
system-deps:
	@missing=""; command -v dot >/dev/null 2>&1 || missing=" graphviz"; \
	for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else echo "Install these system packages first (Debian/Ubuntu: sudo apt-get install$$missing)"; exit 1; fi; fi

demo: install system-deps
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_accounts

# Two processes: the web server, and beside it the worker that draws and seals agreed versions' PDFs in the
# background (django-tasks' db_worker), stopped with the server. The demo's PDFs are queued first.
run: demo
	$(BIN)/python manage.py prepare_pdfs
	@echo ""
	@echo "  Protocol Registry: http://127.0.0.1:$(PORT)/"
	@echo "  Sign in at http://127.0.0.1:$(PORT)/accounts/login/ (admin at /admin/)"
	@echo "  Accounts: admin, manager-<area>, member-<area>; password: demo-password"
	@echo "  The PDF worker runs beside the server; Ctrl+C stops both."
	@echo ""
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Chromium for the browser tests comes from Debian; install it when it is missing and we may.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "Install Debian's chromium package for the browser tests (sudo apt-get install chromium)"; exit 1; fi; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# PYTEST_ARGS passes options on to pytest (CI's second database leaves out what does not depend on it).
test: install-test browser-deps system-deps lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
