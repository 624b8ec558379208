"""gunicorn's settings, for the image and docker-compose (`gunicorn --config gunicorn.conf.py …`).

Each can be changed by its environment variable; gunicorn also reads GUNICORN_CMD_ARGS on top of this file.
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes: WEB_CONCURRENCY (the image sets 3); about two per CPU core is usual for this I/O-bound app.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Reporting exports over a large purview take a few seconds; a request still running after this is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file on tmpfs: a container's /tmp may sit on a slow overlay disk.
# (gunicorn makes its own file there with a random name, so a shared directory is safe.)
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if Path(SHM).is_dir() else None

# The application logs each request itself, as JSON with its request id, route, status and duration
# (ops/request_id.py): gunicorn's access log would only repeat it, unlabelled.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's own lines (start, worker timeouts) in the same JSON as the application's.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False}},
    }


def on_starting(server):
    """Prometheus's files from a previous run of the workers would be counted again: start from an empty directory."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """A dead worker's gauges no longer count (its counters and histograms are kept)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
