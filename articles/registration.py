"""What articles add to the kernel's content registry (called from ArticlesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from articles.models import Article
from komvidere import registry


def register() -> None:
    registry.register_content(
        registry.Content(
            key="article",
            model=Article,
            label=_("Article"),
            plural=_("Articles"),
            link_fields=("title", "slug"),
        )
    )
