from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from dilemmas import services
from dilemmas.models import (
    Dilemma,
    Flag,
    FlagStatus,
    Follow,
    HelpfulMark,
    Reply,
)


def _run(modeladmin, request, queryset, action, done):
    """Call a service for each selected row; report what worked and what was refused."""
    ok = 0
    for obj in queryset:
        try:
            action(obj)
            ok += 1
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, done % {"count": ok}, messages.SUCCESS)


@admin.register(Dilemma)
class DilemmaAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "author",
        "organisation",
        "anonymous",
        "reply_count",
        "hidden",
        "locked",
        "last_activity_at",
    ]
    list_filter = ["status", "kind", "hidden", "locked", "anonymous", "organisation__region"]
    search_fields = ["title", "body", "author__email", "author__name"]
    list_select_related = ["author", "organisation"]
    autocomplete_fields = ["author", "organisation", "duplicate_of"]
    raw_id_fields = ["accepted_reply"]
    filter_horizontal = ["sectors", "themes", "related_cases"]
    readonly_fields = ["created_at", "edited_at", "last_activity_at", "reply_count", "deleted_at"]
    date_hierarchy = "created_at"
    actions = ["hide", "unhide", "lock", "unlock"]

    def save_model(self, request, obj, form, change):
        if change and {"title", "body"} & set(form.changed_data):
            # Keep the text as it was, and who changed it, as the site does.
            before = Dilemma.objects.get(pk=obj.pk)
            DilemmaRevision.objects.create(
                dilemma=obj,
                editor=request.user,
                previous_title=before.title,
                previous_body=before.body,
            )
            obj.edited_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Hide the selected threads"))
    def hide(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.dilemma_set_hidden(user=request.user, dilemma=d, hidden=True),
            _("%(count)s hidden."),
        )

    @admin.action(description=_("Show the selected threads"))
    def unhide(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.dilemma_set_hidden(user=request.user, dilemma=d, hidden=False),
            _("%(count)s visible again."),
        )

    @admin.action(description=_("Lock the selected threads"))
    def lock(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.dilemma_set_locked(user=request.user, dilemma=d, locked=True),
            _("%(count)s locked."),
        )

    @admin.action(description=_("Unlock the selected threads"))
    def unlock(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda d: services.dilemma_set_locked(user=request.user, dilemma=d, locked=False),
            _("%(count)s unlocked."),
        )


@admin.register(Reply)
class ReplyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "author", "created_at", "edited_at", "hidden", "deleted_at"]
    list_filter = ["hidden"]
    search_fields = ["body", "author__email", "author__name", "dilemma__title"]
    list_select_related = ["author", "dilemma"]
    autocomplete_fields = ["author", "dilemma"]
    readonly_fields = ["created_at", "edited_at", "deleted_at"]
    actions = ["hide", "unhide"]

    def save_model(self, request, obj, form, change):
        if change and "body" in form.changed_data:
            before = Reply.objects.get(pk=obj.pk)
            ReplyRevision.objects.create(reply=obj, editor=request.user, previous_body=before.body)
            obj.edited_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Hide the selected replies"))
    def hide(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.reply_set_hidden(user=request.user, reply=r, hidden=True),
            _("%(count)s hidden."),
        )

    @admin.action(description=_("Show the selected replies"))
    def unhide(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r: services.reply_set_hidden(user=request.user, reply=r, hidden=False),
            _("%(count)s visible again."),
        )


@admin.register(HelpfulMark)
class HelpfulMarkAdmin(admin.ModelAdmin):
    list_display = ["reply", "user", "created_at"]
    autocomplete_fields = ["reply", "user"]
    list_select_related = ["reply__dilemma", "user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["dilemma", "user", "created_at"]
    autocomplete_fields = ["dilemma", "user"]
    search_fields = ["dilemma__title", "user__email"]
    list_select_related = ["dilemma", "user"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "status", "reporter", "created_at", "handled_by"]
    list_filter = ["status", "reason"]
    search_fields = ["note", "dilemma__title", "reply__body", "reporter__email"]
    list_select_related = ["reporter", "dilemma", "reply__dilemma", "handled_by"]
    autocomplete_fields = ["reporter", "dilemma", "reply"]
    readonly_fields = ["created_at", "handled_by", "handled_at"]
    actions = ["hide_content", "dismiss"]

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data and obj.status != FlagStatus.OPEN:
            obj.handled_by = request.user
            obj.handled_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Hide the flagged content and close the reports"))
    def hide_content(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=FlagStatus.OPEN),
            lambda f: services.flag_handle(user=request.user, flag=f, action="hide"),
            _("%(count)s handled."),
        )

    @admin.action(description=_("Dismiss the selected reports"))
    def dismiss(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=FlagStatus.OPEN),
            lambda f: services.flag_handle(user=request.user, flag=f, action="dismiss"),
            _("%(count)s dismissed."),
        )
