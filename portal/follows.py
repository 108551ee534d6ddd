"""Following cases, articles, tags and sectors: the button's endpoint and the "I follow" page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dilemmas.models import Dilemma
from komvidere import follows
from komvidere.models import Sector


def _item(request, kind: str, pk: int):
    if kind not in follows.KINDS:
        raise Http404
    try:
        queryset = follows.visible(kind, request.user)
    except ValidationError:
        raise Http404 from None
    return get_object_or_404(queryset, pk=pk)


@require_POST
def follow(request, kind, pk):
    """Follow or unfollow one item, then go back where the button was."""
    item = _item(request, kind, pk)
    if request.POST.get("action") == "unfollow":
        follows.follow_remove(user=request.user, item=item)
        messages.success(request, _("You no longer follow %(item)s.") % {"item": item})
    else:
        follows.follow_add(user=request.user, item=item)
        messages.success(
            request,
            _("You follow %(item)s. You will be told about news in your notifications.")
            % {"item": item},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "portal:following"
    return redirect(target)


@require_safe
def following(request):
    """What I follow, with unfollow buttons, and every sector to follow."""
    mine = follows.following(request.user)
    threads = list(Dilemma.objects.followed_by(request.user).public().order_by("title")[:200])
    return render(
        request,
        "portal/following.html",
        {
            "following": mine,
            "threads": threads,
            "sectors": Sector.objects.all(),
            "followed_sector_ids": {s.pk for s in mine["sector"]},
        },
    )
