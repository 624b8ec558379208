# Production image for the Casework QA Platform.
# One image runs every application process: gunicorn (the default command), the Celery worker and beat.
#
# Two stages: `build` installs the locked dependencies into a virtualenv and collects the static files; the final
# stage copies only the virtualenv and the application, and runs as a non-root user.

FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/venv/bin:$PATH

RUN python -m venv /venv

WORKDIR /app

# The exact versions of requirements.lock (the base dependencies: not the [dev] or [local] extras), in their own
# layer so a code change does not reinstall them. Every one ships as a wheel (psycopg[binary] bundles libpq).
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# Static files into var/static (STATIC_ROOT), served by WhiteNoise. The settings refuse to load without
# a SECRET_KEY, a PostgreSQL DATABASE_URL and a REDIS_URL when DEBUG is off; these build-time values exist only for
# this step (collectstatic connects to nothing) and are not kept in the image.
RUN DEBUG=0 \
    SECRET_KEY=build-time-only-collectstatic-not-a-real-secret \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --no-input --verbosity 1


FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    # The project is imported from /app (the settings find templates/, static/ and var/ beside the package).
    PYTHONPATH=/app \
    # gunicorn.conf.py reads this as its number of worker processes; override at run time to suit the host.
    WEB_CONCURRENCY=3 \
    # gunicorn's workers share their Prometheus metrics through files here, on tmpfs (see gunicorn.conf.py).
    PROMETHEUS_MULTIPROC_DIR=/dev/shm/prometheus

# The code, the virtualenv and the collected static files stay owned by root: the application user can read them,
# not change them.
COPY --from=build /venv /venv
COPY --from=build /app /app
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app
USER app

EXPOSE 8000

# The web process is healthy when gunicorn answers and PostgreSQL and Redis are up (ops/health.py). /healthz is
# answered before the host check and the https redirect, so plain http to 127.0.0.1 works whatever ALLOWED_HOSTS
# and HTTPS say; it answers 503 when a check fails, which urlopen raises. The full /healthz (worker, beat, outbox
# too) is for monitoring: a stopped worker must not get the web containers restarted. The worker and beat
# containers replace this check with their own (docker-compose.yml).
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8000/healthz?only=database,redis', timeout=8)"]

# Every gunicorn setting is in gunicorn.conf.py (workers from WEB_CONCURRENCY, JSON logs, Prometheus's files).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "qa_platform.wsgi:application"]
