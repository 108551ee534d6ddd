"""Who wrote it, as the viewer may see it: anonymous askers stay anonymous to members."""

from django import template

from komvidere.models import is_moderator

register = template.Library()


def _byline(user, *, author, organisation, anonymous: bool) -> dict:
    region = organisation.get_region_display() if organisation and organisation.region else ""
    moderator = is_moderator(user)
    return {
        "anonymous": anonymous,
        "region": region,
        # "you" beside one's own anonymous post: {% mine %} decides it per viewer, also
        # where the byline is in a cached fragment.
        "author_pk": author.pk,
        # The author object reaches the template only when the viewer may see it.
        "author": author if (not anonymous or moderator) else None,
        "organisation": organisation if not anonymous else None,
        "moderator_view": anonymous and moderator,
    }


@register.inclusion_tag("dilemmas/includes/byline.html", takes_context=True)
def dilemma_byline(context, dilemma):
    user = context["request"].user
    return _byline(
        user,
        author=dilemma.author,
        organisation=dilemma.organisation,
        anonymous=dilemma.anonymous,
    )


@register.inclusion_tag("dilemmas/includes/byline.html", takes_context=True)
def reply_byline(context, reply, dilemma):
    """The anonymous asker replying in their own thread stays anonymous there too."""
    user = context["request"].user
    as_asker = dilemma.anonymous and reply.author_id == dilemma.author_id
    data = _byline(
        user,
        author=reply.author,
        organisation=dilemma.organisation if as_asker else reply.author.organisation,
        anonymous=as_asker,
    )
    data["is_asker"] = reply.author_id == dilemma.author_id
    return data
