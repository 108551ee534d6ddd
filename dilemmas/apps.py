from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DilemmasConfig(AppConfig):
    name = "dilemmas"
    verbose_name = _("Dilemmas")

    def ready(self):
        from dilemmas import registration

        registration.register()
