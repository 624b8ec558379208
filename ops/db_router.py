"""The reporting pages read from a PostgreSQL read replica, when DATABASE_REPLICA_URL names one.

Only GET requests of the reporting pages (the `reporting` URL namespace) read from it, and only the casework
tables: sessions, log-in throttling and everything else stay on the primary, as do all writes. Inside a
transaction on the primary, reads stay there too (a transaction reads its own writes; the replica would not
have them). Without DATABASE_REPLICA_URL there is no "replica" alias and nothing changes.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# URL namespaces whose GET requests read from the replica.
REPLICA_NAMESPACES = {"reporting"}
# The tables the reporting pages read: the casework, the organisation and the reporting app's own.
REPLICA_APPS = {"assessments", "dipsampling", "organisation", "reporting", "scrutiny"}

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Read the casework from the replica (if there is one) for the duration: reporting pages, exports."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not (_replica_reads.get() and replica_configured()):
            return None
        if model._meta.app_label not in REPLICA_APPS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        # Always the primary, even for an object read from the replica (Django would otherwise write where it came
        # from).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object from one may point at an object from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # The replica follows the primary's schema by replication; never migrate it directly.
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Marks the GET requests of the reporting pages as reading from the replica. No database query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and match.namespace in REPLICA_NAMESPACES:
            request._replica_reads_token = _replica_reads.set(True)
        return None
