from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "议案建议"
    default_auto_field = "django.db.models.BigAutoField"
