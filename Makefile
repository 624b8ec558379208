# `make run` starts the product; `make test` runs every check. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Settings for the test run: production-like (DEBUG off), plain http for the test servers.
TEST_ENV := DEBUG=0 HTTPS=0 SECRET_KEY=test-only-secret-key-not-for-deployment ALLOWED_HOSTS=localhost,127.0.0.1,testserver \
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend DJANGO_ALLOW_ASYNC_UNSAFE=true
# For commands that load the settings but connect to nothing (check --deploy, collectstatic).
OFFLINE_URLS := DATABASE_URL=$${DATABASE_URL:-postgres://qa@db.invalid/qa_platform} \
	REDIS_URL=$${REDIS_URL:-redis://redis.invalid:6379/0}
# `check --deploy` judges the settings a deployment would use.
DEPLOY_ENV := DEBUG=0 HTTPS=1 BEHIND_PROXY=1 SECRET_KEY=$$(LC_ALL=C tr -dc 'a-zA-Z0-9' </dev/urandom | head -c 64) \
	ALLOWED_HOSTS=qa.example.org $(OFFLINE_URLS)

# The browser tests need Debian's Chromium: checked (and installed, as root) first, unless they are deselected.
BROWSER := $(if $(findstring not browser,$(PYTEST_ARGS)),,chromium)

.PHONY: install lock run test lint format check-deploy chromium faults bench load clean

install: $(VENV)/.installed

# The exact versions of requirements-dev.lock (every extra), then the project itself without resolving again.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# After changing a range in pyproject.toml: requirements.lock (what the image installs) and requirements-dev.lock
# (the same versions, plus the [local] and [dev] extras). Upgrade everything with LOCK_ARGS=--upgrade.
PIP_COMPILE := $(PY) -m piptools compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
	--no-emit-trusted-host $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra local --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml
	@# [dev] names the project itself (for [local]): drop that line, a path on this machine, and its "via" lines.
	awk '/^casework-qa-platform @/ {skip = 1; next} skip && /^ / {next} {skip = 0; print}' requirements-dev.lock \
		> requirements-dev.lock.tmp && mv requirements-dev.lock.tmp requirements-dev.lock

run: install
	$(PY) -m devserver run

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@# The apps depend one way (pyproject.toml, [tool.importlinter]): an upward import fails here.
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check-deploy: install
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# Installs Debian's Chromium as root (apt-get), or stops at once with the command to run.
chromium: install
	$(PY) -m devserver chromium

test: install $(BROWSER) lint check-deploy
	$(TEST_ENV) $(OFFLINE_URLS) $(PY) manage.py collectstatic --no-input --verbosity 0
	@# The reporting pages read through a second connection ("replica", a TEST MIRROR), as from a read replica.
	$(TEST_ENV) DATABASE_REPLICA_URL=mirror $(PY) -m devserver exec -- $(PY) -m pytest $(PYTEST_ARGS)

# Not part of `make test`: SIGKILLs Celery workers and restarts a Redis of its own while the outbox sends
# a few hundred e-mails to an SMTP server on loopback; nothing may be lost, at most one duplicate per kill.
faults: install
	$(TEST_ENV) $(PY) -m devserver exec -- $(PY) scripts/faults.py $(FAULTS_ARGS)

# Not part of `make test`: times every reporting page against hand-written SQL for the same figures on the national
# demo (~300k IQAs, ~3M answers) in its own database (BENCH_DATABASE, default qa_bench), built first if missing.
bench: install
	$(TEST_ENV) $(OFFLINE_URLS) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(TEST_ENV) $(PY) -m devserver exec -- $(PY) bench/run.py $(BENCH_ARGS)

# Not part of `make test`: Locust on loopback against gunicorn serving the national demo (the bench database), one
# user then 50 with mixed roles; ends with `load: users=50 requests=N failures=N p95_ms=N p95_ratio=X.X worst_page=NAME`.
load: install
	$(PY) -m pip install --quiet -c requirements-dev.lock -e ".[bench]"
	$(TEST_ENV) $(OFFLINE_URLS) $(PY) manage.py collectstatic --no-input --verbosity 0
	$(TEST_ENV) $(PY) -m devserver exec -- $(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var/static
