from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and national-scale data (`manage.py seed_demo`): installed unless DEMO=0, as a deployment should set."""

    name = "demo"
    verbose_name = "Demo data"
