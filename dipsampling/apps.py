from django.apps import AppConfig


class DipsamplingConfig(AppConfig):
    name = "dipsampling"
    verbose_name = "Dip sampling"
