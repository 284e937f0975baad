# The two commands a newcomer needs: `make run` and `make test`.
# Everything is installed into .venv from the lock file (uv.lock) by a pinned uv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION = 0.13.9
UV = .tools/bin/uv
VENV = .venv
PY = $(VENV)/bin/python
DEMO_PRODUCTS ?= 300
HOST ?= 127.0.0.1
PORT ?= 8000
# A throwaway key for tests: the settings refuse to start without one when DEBUG is off.
TEST_SECRET_KEY = test-only-$(shell date +%s)-not-for-production-aaaaaaaaaaaaaaaaaaaaaaaaaa

export UV_PYTHON_DOWNLOADS = never
export UV_LINK_MODE = copy

.PHONY: install browser run test lint format pytest worker beat bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

install: $(VENV)/.synced

# Emailed links (order confirmations) point at the development server.
run: export SHOP_BASE_URL ?= http://$(HOST):$(PORT)
run: install
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput -v0
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo --products $(DEMO_PRODUCTS) --if-empty
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: install browser lint pytest

# The browser tests drive Debian's chromium; a browser is never downloaded. Installed
# here with apt when the machine allows it (root), otherwise one line says what to do.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test needs chromium for the browser tests: install it (Debian/Ubuntu: sudo apt-get install chromium) and run make test again"; \
	    exit 1; \
	  fi; }

pytest: install
	SECRET_KEY=$${SECRET_KEY:-$(TEST_SECRET_KEY)} \
	SHOP_BASE_URL=$${SHOP_BASE_URL:-http://testserver} $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A shop worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A shop beat --loglevel=INFO --schedule var/celerybeat-schedule

# Our shop against stock django-oscar with the same catalogue, and pricing a basket
# with 5 and 200 offers inside our shop (not part of `make test`);
# results go to bench/results/. BENCH_SIZES=10000 BENCH_DURATION=10 make bench for a
# shorter run; `$(PY) -m bench --help` lists every option.
bench: install
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432} \
	BENCH_REDIS_URL=$${BENCH_REDIS_URL:-redis://127.0.0.1:6379} \
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools var/static .pytest_cache .ruff_cache
