"""The short welcome a new member lands on after confirming their address (and after signing
up through single sign-on): which sectors and themes they work with, so the home page can put
those first, and whether to hear about new cases in those sectors."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from komvidere import follows


class WelcomeForm(forms.ModelForm):
    follow_sectors = forms.BooleanField(
        label=gettext_lazy("Tell me when a case or article is published in these sectors"),
        required=False,
        initial=True,
    )

    class Meta:
        model = User
        fields = ["sectors", "themes"]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }


def welcome(request):
    form = WelcomeForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            if form.cleaned_data["follow_sectors"]:
                for sector in user.sectors.all():
                    follows.follow_add(user=user, item=sector)
        messages.success(
            request, _("Thank you. The front page now puts your sectors and themes first.")
        )
        return redirect("portal:home")
    return render(request, "portal/welcome.html", {"form": form})
