from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations: health, logs, metrics, database routing"

    def ready(self):
        # The request id travels from a web request into the Celery tasks it publishes (ops/request_id.py).
        from ops import request_id

        request_id.connect_celery_signals()
        # The admin's autocomplete selects never fail on a posted value that is not an id (a 500 otherwise).
        from qa_platform import admin_autocomplete

        admin_autocomplete.install()
