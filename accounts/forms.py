from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, User
from komvidere.models import Sector, Theme
from komvidere.validators import no_control_characters


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[no_control_characters],
        help_text=_("Shown to colleagues next to what you write."),
    )

    def signup(self, request, user):
        # The adapter has already stored the name; allauth requires this hook to exist.
        pass


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "job_title", "bio", "sectors", "themes", "email_notifications"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "email_notifications": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        for name in ("name", "job_title", "bio"):
            self.fields[name].validators.append(no_control_characters)


class AccountDeleteForm(forms.Form):
    """Deleting the account asks for the password again, unless the member has none and has
    just logged in through single sign-on (the view decides which)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request, needs_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if not needs_password:
            del self.fields["password"]

    def clean_password(self):
        from allauth.account.adapter import get_adapter

        password = self.cleaned_data["password"]
        # allauth's check: rate limited like a login, per account.
        if not get_adapter(self.request).reauthenticate(self.user, password):
            raise forms.ValidationError(
                _("That is not your password. Nothing has been deleted."), code="wrong_password"
            )
        return password


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or job title"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All organisations"),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
