from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KomVidereConfig(AppConfig):
    name = "komvidere"
    verbose_name = _("Kom Videre")

    def ready(self):
        from django.db.models.signals import pre_save

        from komvidere import images, tagging  # noqa: F401  (tagging connects the slug repair)

        pre_save.connect(images.reencode_cover, dispatch_uid="komvidere.images.reencode_cover")
