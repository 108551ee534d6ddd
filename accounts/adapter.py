from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import EmailDomain


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open only to staff of known organisations, recognised by e-mail domain."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        if EmailDomain.objects.match(email) is None:
            raise forms.ValidationError(
                _(
                    "Kom Videre is open to staff of Danish municipalities and regions. "
                    "%(domain)s is not one of their e-mail domains. Use your work address, "
                    "or write to %(contact)s if your organisation is missing."
                )
                % {
                    "domain": email.rsplit("@", 1)[-1] or email,
                    "contact": settings.ADMIN_CONTACT_EMAIL,
                },
                code="domain_not_allowed",
            )
        return email

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites allauth would greet with the request's host name.
        site = SimpleNamespace(name="Kom Videre", domain=urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

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
