from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation and people"

    def ready(self):
        from organisation import signals  # noqa: F401 - connects the receivers
