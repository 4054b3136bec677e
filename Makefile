# Two commands set up a fresh machine: `make run` and `make test`.
# With DATABASE_URL=postgres://... both use PostgreSQL instead of the embedded SQLite file under var/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint check clean serve-prod fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Translations are compiled on every install, run and test (a second; no GNU gettext needed).
install: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compile_catalogues --verbosity 0 >/dev/null

run: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (sign in with one of the demo sign-ins above)"
	# The task worker (large client imports) runs beside the server and stops with it.
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# In parallel, one worker per core (pytest-xdist); PYTEST_WORKERS=0 runs in one process.
test: install
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m pip install --quiet -e ".[lint]"
	$(BIN)/python -m ruff check .

check: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  DATABASE_URL=$${DATABASE_URL:-sqlite:///var/check.sqlite3} $(BIN)/python manage.py check --deploy --fail-level WARNING

# What the image runs (collectstatic, migrate, the task worker, gunicorn with DEBUG off) against
# PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/mifos_prod make serve-prod
serve-prod: install
	scripts/serve-prod

# The generated-input test at length (CI runs a short, fixed run): FUZZ_EXAMPLES=20000 make fuzz
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/db.sqlite3 staticfiles
