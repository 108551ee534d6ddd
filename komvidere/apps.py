from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KomVidereConfig(AppConfig):
    name = "komvidere"
    verbose_name = _("Kom Videre")
