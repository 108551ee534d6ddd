from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from dilemmas import services
from dilemmas.models import Dilemma, Flag, FlagStatus, Follow, HelpfulMark, Reply
from komvidere.admin import ServiceAdminMixin


class HideableAdminMixin(ServiceAdminMixin):
    """Threads and replies: hidden by a moderator through the service, so that search, the
    thread's reply count and its accepted answer follow. Posting happens on the site."""

    hide_argument = ""  # the keyword the hide service takes the item by
    hide_service = None

    actions = ["hide", "unhide"]

    def has_add_permission(self, request):
        return False

    def _set_hidden(self, request, queryset, hidden: bool, done):
        self.run_service(
            request,
            queryset,
            lambda obj: self.hide_service(
                **{self.hide_argument: obj}, user=request.user, hidden=hidden
            ),
            lambda n: done(n) % {"count": n, "items": self.items_label(n)},
        )

    @admin.action(description=_("Hide the selected %(verbose_name_plural)s"))
    def hide(self, request, queryset):
        self._set_hidden(
            request,
            queryset,
            True,
            lambda n: ngettext("%(count)d %(items)s hidden.", "%(count)d %(items)s hidden.", n),
        )

    @admin.action(description=_("Show the selected %(verbose_name_plural)s"))
    def unhide(self, request, queryset):
        self._set_hidden(
            request,
            queryset,
            False,
            lambda n: ngettext(
                "%(count)d %(items)s visible again.", "%(count)d %(items)s visible again.", n
            ),
        )


@admin.register(Dilemma)
class DilemmaAdmin(HideableAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["duplicate_of"]
    filter_horizontal = ["sectors", "themes", "related_cases"]
    date_hierarchy = "created_at"
    actions = ["hide", "unhide", "lock", "unlock"]

    service_fields = {"kind", "title", "body", "sectors", "themes", "plan_stage", "tags"}
    extra_fields = {"related_cases", "duplicate_of"}
    hide_argument = "dilemma"
    hide_service = staticmethod(services.dilemma_set_hidden)

    def service_update(self, request, obj, fields, form):
        data = form.cleaned_data  # dilemma_edit takes the whole question, not a difference
        return services.dilemma_edit(
            user=request.user,
            dilemma=obj,
            **{name: data[name] for name in self.service_fields if name in data},
        )

    def service_save_extra(self, request, obj, form, change):
        data, changed = form.cleaned_data, set(form.changed_data)
        if "related_cases" in changed:
            services.dilemma_set_related_cases(
                user=request.user, dilemma=obj, related_cases=data["related_cases"]
            )
        if "duplicate_of" in changed:
            services.dilemma_mark_duplicate(
                user=request.user, dilemma=obj, original=data["duplicate_of"]
            )

    def service_delete(self, request, obj):
        services.dilemma_purge(user=request.user, dilemma=obj)

    def _set_locked(self, request, queryset, locked: bool, done):
        self.run_service(
            request,
            queryset,
            lambda obj: services.dilemma_set_locked(user=request.user, dilemma=obj, locked=locked),
            lambda n: done(n) % {"count": n, "items": self.items_label(n)},
        )

    @admin.action(description=_("Lock the selected %(verbose_name_plural)s"))
    def lock(self, request, queryset):
        self._set_locked(
            request,
            queryset,
            True,
            lambda n: ngettext("%(count)d %(items)s locked.", "%(count)d %(items)s locked.", n),
        )

    @admin.action(description=_("Unlock the selected %(verbose_name_plural)s"))
    def unlock(self, request, queryset):
        self._set_locked(
            request,
            queryset,
            False,
            lambda n: ngettext("%(count)d %(items)s unlocked.", "%(count)d %(items)s unlocked.", n),
        )


@admin.register(Reply)
class ReplyAdmin(HideableAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "author", "created_at", "edited_at", "hidden", "deleted_at"]
    list_filter = ["hidden"]
    search_fields = ["body", "author__email", "author__name", "dilemma__title"]
    list_select_related = ["author", "dilemma"]

    service_fields = {"body"}
    hide_argument = "reply"
    hide_service = staticmethod(services.reply_set_hidden)

    def service_update(self, request, obj, fields, form):
        return services.reply_edit(user=request.user, reply=obj, body=fields["body"])

    def service_delete(self, request, obj):
        services.reply_purge(user=request.user, reply=obj)


@admin.register(HelpfulMark)
class HelpfulMarkAdmin(admin.ModelAdmin):
    """To look at: a mark is set and removed by its member on the site."""

    list_display = ["reply", "user", "created_at"]
    list_select_related = ["reply__dilemma", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Follow)
class FollowAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """To look at, and to end a follow for a member (through the service)."""

    list_display = ["dilemma", "user", "created_at"]
    search_fields = ["dilemma__title", "user__email"]
    list_select_related = ["dilemma", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_delete(self, request, obj):
        services.dilemma_unfollow(user=obj.user, dilemma=obj.dilemma)


@admin.register(Flag)
class FlagAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Reports are made on the site; moderators handle them here through the actions."""

    list_display = ["__str__", "reason", "status", "reporter", "created_at", "handled_by"]
    list_filter = ["status", "reason"]
    search_fields = ["note", "dilemma__title", "reply__body", "reporter__email"]
    list_select_related = ["reporter", "dilemma", "reply__dilemma", "handled_by"]
    readonly_fields = ["created_at", "handled_at"]
    actions = ["hide_content", "dismiss"]

    def has_add_permission(self, request):
        return False

    def service_delete(self, request, obj):
        services.flag_delete(user=request.user, flag=obj)

    def _handle(self, request, queryset, action: str, done):
        self.run_service(
            request,
            queryset.filter(status=FlagStatus.OPEN),
            lambda flag: services.flag_handle(user=request.user, flag=flag, action=action),
            lambda n: done(n) % {"count": n},
        )

    @admin.action(description=_("Hide the flagged content and close the reports"))
    def hide_content(self, request, queryset):
        self._handle(
            request,
            queryset,
            "hide",
            lambda n: ngettext("%(count)d report handled.", "%(count)d reports handled.", n),
        )

    @admin.action(description=_("Dismiss the selected reports"))
    def dismiss(self, request, queryset):
        self._handle(
            request,
            queryset,
            "dismiss",
            lambda n: ngettext("%(count)d report dismissed.", "%(count)d reports dismissed.", n),
        )
