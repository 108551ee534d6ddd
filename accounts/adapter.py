from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import emails
from accounts.models import EmailDomain, User
from komvidere.middleware import LANGUAGE_SESSION_KEY


def domain_refused_message(email: str) -> str:
    """What someone whose address belongs to no known organisation is told (form and SSO)."""
    return _(
        "Kom Videre is open to staff of Danish municipalities and regions. "
        "%(domain)s is not one of their e-mail domains. Use your work address, "
        "or write to %(contact)s if your organisation is missing."
    ) % {
        "domain": email.rsplit("@", 1)[-1] or email,
        "contact": settings.ADMIN_CONTACT_EMAIL,
    }


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open only to staff of known organisations, recognised by e-mail domain."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        if EmailDomain.objects.match(email) is None:
            raise forms.ValidationError(domain_refused_message(email), code="domain_not_allowed")
        return email

    def login(self, request, user):
        super().login(request, user)
        # The member's language follows them to every browser they log in from.
        if user.language:
            request.session[LANGUAGE_SESSION_KEY] = user.language

    def get_email_verification_redirect_url(self, email_address):
        # Confirmed in another browser than the one that signed up (allauth then logs no one
        # in): after logging in, the new member still lands on the welcome step.
        if not self.request.user.is_authenticated:
            return (
                reverse("account_login")
                + "?"
                + urlencode({"next": settings.ACCOUNT_SIGNUP_REDIRECT_URL})
            )
        return super().get_email_verification_redirect_url(email_address)

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites allauth would greet with the request's host name.
        site = SimpleNamespace(name="Kom Videre", domain=urlsplit(settings.SITE_URL).netloc)
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = user.language if user is not None and getattr(user, "language", "") else None
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, {**context, "current_site": site})

    def render_mail(self, template_prefix, email, context, headers=None):
        # allauth's mails have text templates only: give each the portal's HTML part too.
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            message.attach_alternative(
                emails.html_from_text(message.body, subject=message.subject), "text/html"
            )
        return message

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        match = EmailDomain.objects.match(user.email)
        if match is not None:
            user.organisation = match.organisation
        user.name = form.cleaned_data.get("name", "") or user.name
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on follows the sign-up form's rules: only addresses at the domains of known
    organisations, attached to their organisation; a verified address already on an account
    logs in to that account (allauth's e-mail authentication, see settings)."""

    def _email(self, sociallogin) -> str:
        addresses = sociallogin.email_addresses
        return (addresses[0].email if addresses else sociallogin.user.email or "").strip().lower()

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing or sociallogin.state.get("process") == "connect":
            return
        email = self._email(sociallogin)
        if not email or EmailDomain.objects.match(email) is None:
            # allauth has already dropped an address that AccountAdapter.clean_email refuses;
            # the message names the one the provider sent.
            account = sociallogin.account.get_provider_account()
            claims = getattr(account, "get_user_data", lambda: None)() or {}
            claimed = str(claims.get("email") or claims.get("preferred_username") or "")
            messages.error(request, domain_refused_message(email or claimed[:254] or "?"))
            raise ImmediateHttpResponse(redirect("account_login"))

    def is_open_for_signup(self, request, sociallogin) -> bool:
        # Social sign-up never runs AccountAdapter.clean_email: the domain rule is checked here.
        email = self._email(sociallogin)
        return bool(email) and EmailDomain.objects.match(email) is not None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").lower()
        match = EmailDomain.objects.match(user.email)
        if match is not None:
            user.organisation = match.organisation
        name = (data.get("name") or "").strip()
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.name = name[:150]
        return user
