from django.apps import AppConfig


class DipsamplingConfig(AppConfig):
    name = "dipsampling"
    verbose_name = "Dip sampling"

    def ready(self):
        # The IQA page shows its dip sample and re-marks: dip sampling adds that section, so assessments (below it)
        # imports nothing from dip sampling.
        from assessments import iqa_page
        from dipsampling.selectors import iqa_section

        iqa_page.register_section(iqa_section)
