"""What dilemmas add to the kernel's content registry (called from DilemmasConfig.ready):
dilemmas and replies, the sections on organisation and person pages, the kinds of notification.

Anonymous dilemmas are never listed here: listing them under a person or organisation would
reveal who asked.
"""

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dilemmas.models import Dilemma, Flag, Follow, HelpfulMark, Reply
from komvidere import registry, search, versions
from komvidere.models import Status, is_moderator

LIMIT = 10


class DilemmaNotification(models.TextChoices):
    REPLY_ON_FOLLOWED = "reply_on_followed", _("New reply on a dilemma you follow")
    REPLY_ACCEPTED = "reply_accepted", _("Your reply was accepted")
    REPLY_HELPFUL = "reply_helpful", _("Your reply was marked helpful")
    DILEMMA_CONCLUDED = "dilemma_concluded", _("Your dilemma was concluded")
    FLAG_NEW = "flag_new", _("New report for the moderators")
    DILEMMA_NUDGE = "dilemma_nudge", _("A colleague in your sector needs an answer")
    CASE_LINKED = "dilemma_case_linked", _("A case was linked to your dilemma")
    CASE_LINKED_FOLLOWED = "followed_case_linked", _("A case was linked to a dilemma you follow")


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


def case_page_context(case, viewer) -> dict:
    """The case page's "dilemmas this case answers": the public threads linked to it (one
    query, also what the page's related box shows first), the form to link another and
    whether the viewer may take links off (moderators)."""
    from dilemmas.forms import LinkDilemmaForm  # it imports the services, which import us

    dilemmas = list(
        Dilemma.objects.public()
        .filter(related_cases=case)
        .order_by("-last_activity_at", "-pk")
        .only("pk", "title", "kind", "status")
    )
    published = case.status == Status.PUBLISHED
    return {
        "case": case,
        "dilemmas": dilemmas,
        "related": dilemmas,
        "link_form": LinkDilemmaForm(user=viewer) if published else None,
        "can_unlink": is_moderator(viewer),
    }


def export_personal_data(member) -> dict[str, list]:
    """The member's dilemmas (the anonymous ones too: they are theirs), replies, follows,
    helpful marks and flags. Other members' threads appear only by their address."""
    dilemma_fields = ["pk", "kind", "title", "body", "anonymous", "status", "conclusion"]
    dilemma_fields += ["hidden", "created_at", "edited_at", "deleted_at"]
    reply_fields = ["pk", "dilemma_id", "body", "hidden", "created_at", "edited_at", "deleted_at"]
    return {
        "dilemmas": [
            {**{name: getattr(d, name) for name in dilemma_fields}, "url": d.get_absolute_url()}
            for d in Dilemma.objects.filter(author=member).order_by("pk")
        ],
        "replies": [
            {**{name: getattr(r, name) for name in reply_fields}, "url": r.get_absolute_url()}
            for r in Reply.objects.filter(author=member).select_related("dilemma").order_by("pk")
        ],
        "follows": [
            {"dilemma_id": f.dilemma_id, "url": f"/dilemmas/{f.dilemma_id}/", "since": f.created_at}
            for f in Follow.objects.filter(user=member).order_by("pk")
        ],
        "helpful_marks": [
            {"reply_id": m.reply_id, "url": m.reply.get_absolute_url(), "created_at": m.created_at}
            for m in HelpfulMark.objects.filter(user=member).select_related("reply").order_by("pk")
        ],
        "flags": [
            {
                "dilemma_id": f.dilemma_id,
                "reply_id": f.reply_id,
                "reason": f.reason,
                "note": f.note,
                "status": f.status,
                "created_at": f.created_at,
            }
            for f in Flag.objects.filter(reporter=member).order_by("pk")
        ],
    }


def anonymise_personal_data(member) -> None:
    """Threads and replies stay (bylines name "a former member"); the follows go. Helpful
    marks and flags stay, tied to nobody who can be named, so counts and the moderation
    record remain true."""
    Follow.objects.filter(user=member).delete()
    search.index_many(
        Dilemma.objects.filter(author=member)
        .select_related("organisation")
        .prefetch_related("tags")
    )
    search.index_many(Reply.objects.filter(author=member).select_related("dilemma"))


def shared_by_organisation() -> dict[int, int]:
    """Public dilemmas per organisation; anonymous ones are not counted (that would say which
    organisation asked)."""
    rows = (
        Dilemma.objects.public()
        .filter(anonymous=False)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    return {org_id: n for org_id, n in rows if org_id}


def describe_shared(count: int) -> str:
    return ngettext("%(count)s dilemma", "%(count)s dilemmas", count) % {"count": count}


def _follow_changed(sender, instance, **kwargs) -> None:
    versions.bump(versions.member(instance.user_id))  # their home page lists what they follow


def register() -> None:
    versions.track(Dilemma, versions.DILEMMAS)
    versions.track(Reply, versions.DILEMMAS)  # counts and answered status
    versions.track(HelpfulMark, versions.DILEMMAS)  # the thread's cached helpful counts
    versions.track(Flag, versions.DILEMMAS)  # the moderators' counts on their home page
    for name, signal in (
        ("save", models.signals.post_save),
        ("delete", models.signals.post_delete),
    ):
        signal.connect(_follow_changed, sender=Follow, dispatch_uid=f"dilemmas:follow-{name}")
    registry.register_organisation_share(
        registry.OrganisationShare(
            key="dilemmas", counts=shared_by_organisation, describe=describe_shared, order=20
        )
    )
    registry.register_personal_data(
        registry.PersonalData(
            key="dilemmas", export=export_personal_data, anonymise=anonymise_personal_data
        )
    )
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
    registry.register_section(
        registry.CASE_PAGE,
        registry.Section(
            key="dilemmas",
            template_name="dilemmas/includes/case_section.html",
            get_context=case_page_context,
            order=20,
        ),
    )
