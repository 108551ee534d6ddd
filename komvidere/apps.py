from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KomVidereConfig(AppConfig):
    name = "komvidere"
    verbose_name = _("Kom Videre")

    def ready(self):
        from django.db.models.signals import pre_save

        from komvidere import follows, images, tagging  # noqa: F401  (tagging: the slug repair)

        follows.register()

        from taggit.models import Tag

        from komvidere import versions
        from komvidere.models import PlanStage, Sector, Theme

        # Labels and slugs shown in every list's facets.
        for model in (Sector, Theme, PlanStage, Tag):
            versions.track(model, versions.TAXONOMY)

        pre_save.connect(images.reencode_cover, dispatch_uid="komvidere.images.reencode_cover")
