"""What articles add to the kernel's content registry (called from ArticlesConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from komvidere import registry, versions


class ArticleNotification(models.TextChoices):
    SUBMITTED = "article_submitted", _("An article awaits review")
    EDITED = "article_edited", _("A published article was edited")


def register() -> None:
    versions.track(Article, versions.ARTICLES)
    for kind in ArticleNotification:
        registry.register_notification_kind(kind.value, kind.label)
    registry.register_content(
        registry.Content(
            key="article",
            model=Article,
            label=_("Article"),
            plural=_("Articles"),
            link_fields=("title", "slug"),
        )
    )
