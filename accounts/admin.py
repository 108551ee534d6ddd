from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import EmailDomain, Notification, Organisation, User


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "region", "member_count"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "email_domains__domain"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [EmailDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_counts()

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation", "verified"]
    list_filter = ["verified", "organisation__region", "organisation__kind"]
    search_fields = ["domain", "organisation__name"]
    autocomplete_fields = ["organisation"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name", "organisation"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "organisation", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "groups", "organisation__region", "email_notifications"]
    search_fields = ["email", "name", "organisation__name", "job_title"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    readonly_fields = ["last_login", "date_joined", "deleted_at"]
    actions = ["delete_accounts"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "organisation", "job_title", "bio"]}),
        (_("Notifications"), {"fields": ["email_notifications", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "deleted_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "name",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    @admin.action(
        description=_("Delete the accounts (erase personal data, keep what they wrote)"),
        permissions=["delete"],
    )
    def delete_accounts(self, request, queryset):
        """The members' own deletion (accounts.services.user_delete), also for those who
        have posted, whom a plain delete cannot remove."""
        count = 0
        for user in queryset.filter(deleted_at__isnull=True):
            if user.pk == request.user.pk:
                self.message_user(request, _("You cannot delete your own account here."), "error")
                continue
            services.user_delete(user=user)
            count += 1
        self.message_user(request, _("%(count)s accounts deleted.") % {"count": count})


# --- Notifications ------------------------------------------------------------------------------


class EmailStateFilter(admin.SimpleListFilter):
    """Which notifications still wait for their e-mail: what the retries could not send shows
    here (and as a failed task under "Tasks"); `send_digests` sends them on its next run."""

    title = _("e-mail")
    parameter_name = "emailed"

    def lookups(self, request, model_admin):
        return [("unsent", _("Not sent yet")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(emailed_at__isnull=True).exclude(
                recipient__email_notifications=User.NotifyBy.NEVER
            )
        if self.value() == "sent":
            return queryset.filter(emailed_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = [EmailStateFilter, "kind", "recipient__email_notifications"]
    search_fields = ["title", "recipient__email", "recipient__name"]
    list_select_related = ["recipient"]
    autocomplete_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"
    actions = ["mark_read"]

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request, queryset):
        updated = queryset.filter(read_at__isnull=True).update(read_at=timezone.now())
        self.message_user(request, _("%(count)s marked as read.") % {"count": updated})
