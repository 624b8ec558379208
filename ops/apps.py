from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations: health, logs, metrics, database routing"

    def ready(self):
        # The request id travels from a web request into the Celery tasks it publishes (ops/request_id.py).
        from ops import request_id

        request_id.connect_celery_signals()
