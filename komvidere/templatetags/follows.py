from django import template

from komvidere import follows

register = template.Library()


@register.inclusion_tag("includes/follow_button.html", takes_context=True)
def follow_button(context, kind: str, item, label: str = ""):
    """A Follow / Unfollow button for a case, article, tag or sector (a plain form)."""
    request = context["request"]
    return {
        "kind": kind,
        "item": item,
        "label": label or str(item),
        "following": follows.request_is_following(request, item),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
