"""What dilemmas add to the kernel's content registry (called from DilemmasConfig.ready):
dilemmas and replies, the sections on organisation and person pages, the kinds of notification.

Anonymous dilemmas are never listed here: listing them under a person or organisation would
reveal who asked.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dilemmas.models import Dilemma, Reply
from komvidere import registry

LIMIT = 10


class DilemmaNotification(models.TextChoices):
    REPLY_ON_FOLLOWED = "reply_on_followed", _("New reply on a dilemma you follow")
    REPLY_ACCEPTED = "reply_accepted", _("Your reply was accepted")
    REPLY_HELPFUL = "reply_helpful", _("Your reply was marked helpful")
    DILEMMA_CONCLUDED = "dilemma_concluded", _("Your dilemma was concluded")


def organisation_context(organisation, viewer) -> dict:
    dilemmas = list(Dilemma.objects.for_organisation(organisation)[: LIMIT + 1])
    return {"dilemmas": dilemmas[:LIMIT], "more": len(dilemmas) > LIMIT}


def person_context(person, viewer) -> dict:
    dilemmas = list(
        Dilemma.objects.public()
        .filter(author=person, anonymous=False)
        .for_list()
        .order_by("-last_activity_at", "-pk")[: LIMIT + 1]
    )
    return {"dilemmas": dilemmas[:LIMIT], "more": len(dilemmas) > LIMIT}


def register() -> None:
    registry.register_content(
        registry.Content(
            key="dilemma", model=Dilemma, label=_("Dilemma"), plural=_("Dilemmas"), visible="public"
        )
    )
    registry.register_content(
        registry.Content(
            key="reply",
            model=Reply,
            label=_("Reply"),
            plural=_("Replies"),
            visible="public",
            related=False,
        )
    )
    for kind in DilemmaNotification:
        registry.register_notification_kind(kind.value, kind.label)
    for page, template_name, get_context in (
        (
            registry.ORGANISATION_PAGE,
            "dilemmas/includes/organisation_section.html",
            organisation_context,
        ),
        (registry.PERSON_PAGE, "dilemmas/includes/person_section.html", person_context),
    ):
        registry.register_section(
            page,
            registry.Section(
                key="dilemmas", template_name=template_name, get_context=get_context, order=20
            ),
        )
