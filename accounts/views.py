import json
import time
from itertools import groupby

from allauth.account import app_settings as allauth_account_settings
from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, UpdateView
from django.views.i18n import set_language as django_set_language

from accounts import feeds, services
from accounts.forms import AccountDeleteForm, PeopleFilterForm, ProfileForm
from accounts.models import FeedToken, Notification, Organisation, Region, User
from accounts.notifications import notification_mark_read, notifications_mark_all_read
from komvidere import registry, versions
from komvidere.middleware import LANGUAGE_SESSION_KEY
from komvidere.mixins import CachedPageMixin, FilteredListMixin


class ProfileView(UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feed_token"] = FeedToken.objects.filter(user=self.request.user).first()
        # The welcome step after sign-up and e-mail confirmation (ACCOUNT_SIGNUP_REDIRECT_URL).
        context["welcome"] = "welcome" in self.request.GET
        return context

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)


class PeopleListView(CachedPageMixin, FilteredListMixin, ListView):
    filter_form_class = PeopleFilterForm
    filter_form_kinds = (versions.TAXONOMY,)  # organisations, regions, sectors, themes
    template_name = "accounts/people_list.html"
    context_object_name = "people"
    paginate_by = 30

    def get_queryset(self):
        self.queryset = User.objects.for_directory()
        return super().get_queryset()

    def filter_queryset(self, queryset, data):
        if data.get("q"):
            for term in data["q"].split():
                queryset = queryset.filter(Q(name__icontains=term) | Q(job_title__icontains=term))
        if data.get("organisation"):
            queryset = queryset.filter(organisation=data["organisation"])
        if data.get("region"):
            queryset = queryset.filter(organisation__region=data["region"])
        if data.get("sector"):
            queryset = queryset.filter(sectors=data["sector"])
        if data.get("theme"):
            queryset = queryset.filter(themes=data["theme"])
        return queryset


class PersonDetailView(DetailView):
    template_name = "accounts/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return (
            User.objects.members()
            .select_related("organisation")
            .prefetch_related("sectors", "themes")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = registry.sections(
            registry.PERSON_PAGE, self.object, self.request.user
        )
        return context


class OrganisationListView(ListView):
    template_name = "accounts/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.with_member_counts().order_by("region", "kind", "short_name")

    def get_context_data(self, **kwargs):
        """Each organisation with what it has shared (cases, dilemmas: one query per content
        type, from the registry) and its members; nothing is said about what is zero."""
        context = super().get_context_data(**kwargs)
        shares = [(share, share.counts()) for share in registry.organisation_shares()]
        for org in context["organisations"]:
            org.shared = [
                share.describe(counts[org.pk]) for share, counts in shares if counts.get(org.pk)
            ]
            org.shared_total = sum(counts.get(org.pk, 0) for _share, counts in shares)
        labels = dict(Region.choices)
        context["regions"] = [
            {"label": labels.get(key, _("Other organisations")), "key": key, "items": list(items)}
            for key, items in groupby(context["organisations"], key=lambda o: o.region)
        ]
        return context


class OrganisationDetailView(CachedPageMixin, DetailView):
    template_name = "accounts/organisation_detail.html"
    context_object_name = "organisation"
    queryset = Organisation.objects.prefetch_related("email_domains")

    def page_fragment_parts(self):
        """The same for every member, but for the plan's buttons (its own people and
        coordinators keep the plan)."""
        self.object = self.get_object()
        return (services.can_manage_plan(self.request.user, self.object),)

    def get_object(self, queryset=None):
        return getattr(self, "object", None) or super().get_object(queryset)

    def cached_page_context(self, **kwargs):
        return {**super().cached_page_context(**kwargs), "organisation": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = User.objects.for_directory().filter(organisation=self.object)
        context["sections"] = registry.sections(
            registry.ORGANISATION_PAGE, self.object, self.request.user
        )
        return context


# --- Notifications ------------------------------------------------------------------------------


class NotificationListView(ListView):
    """The inbox: newest first; opening one goes through notification_open (marks it read)."""

    template_name = "accounts/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return (
            Notification.objects.for_user(self.request.user)
            .select_related("actor__organisation")
            .order_by("-created_at", "-pk")
        )


def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:notifications")
    return redirect(target)


def notifications_mark_read(request):
    """POST marks everything read; a GET (a bookmarked or typed address) just shows the inbox."""
    if request.method == "POST" and notifications_mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("accounts:notifications")


@require_POST
def feed_token(request):
    """Create a new secret feed key (revoking the old one), or revoke it."""
    if request.POST.get("action") == "revoke":
        feeds.feed_token_revoke(user=request.user)
        messages.success(request, _("Your feed addresses have been switched off."))
    else:
        feeds.feed_token_renew(user=request.user)
        messages.success(request, _("You have new feed addresses. Any old ones no longer work."))
    return redirect(reverse("accounts:profile") + "#feeds")


# --- Data rights --------------------------------------------------------------------------------


@require_GET
def data_export(request):
    """Everything the portal holds about me, as one JSON download."""
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="kom-videre-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


def _fresh_sso_login(request) -> bool:
    """Whether the member logged in through single sign-on within allauth's
    reauthentication window (ACCOUNT_REAUTHENTICATION_TIMEOUT)."""
    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == "socialaccount"
        and time.time() - record.get("at", 0) < allauth_account_settings.REAUTHENTICATION_TIMEOUT
        for record in records
    )


def account_delete(request):
    """GET explains what deletion means; POST with the password, or right after a fresh
    single sign-on, deletes the account for good."""
    user = request.user
    fresh_sso = _fresh_sso_login(request)
    form = None
    if fresh_sso or user.has_usable_password():
        form = AccountDeleteForm(
            request.POST if request.method == "POST" else None,
            user=user,
            request=request,
            needs_password=not fresh_sso,
        )
    if request.method == "POST" and form is not None and form.is_valid():
        services.user_delete(user=user)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("account_login")
    providers = SocialAccount.objects.filter(user=user).values_list("provider", flat=True)
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "fresh_sso": fresh_sso, "sso_providers": sorted(set(providers))},
    )


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch (the cookie, for visitors too), and for a member also their
    account, so their e-mails and other browsers follow."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
        request.session[LANGUAGE_SESSION_KEY] = language
    return response
