from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Case-review scrutiny"

    def ready(self):
        from scrutiny import signals  # noqa: F401 - connects the receivers
