from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from cases import services
from cases.models import Case, CaseAttachment, CaseLink
from komvidere import search
from komvidere.validators import validate_cover_image


class CaseLinkInline(admin.TabularInline):
    model = CaseLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CaseAttachmentInline(admin.TabularInline):
    model = CaseAttachment
    extra = 0
    fields = ["title", "file", "original_name", "size", "content_type", "uploaded_by"]
    readonly_fields = ["original_name", "size", "content_type", "uploaded_by"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "organisation",
        "status",
        "featured",
        "work_status",
        "published_at",
        "updated_at",
    ]
    list_filter = ["status", "featured", "sectors", "organisation__region", "work_status"]
    search_fields = ["title", "summary", "organisation__name", "author__email", "author__name"]
    autocomplete_fields = [
        "organisation",
        "partners",
        "related_cases",
        "related_articles",
        "author",
    ]
    list_select_related = ["organisation"]
    readonly_fields = ["slug", "status", "published_at", "created_at", "updated_at"]
    filter_horizontal = ["sectors", "themes"]
    date_hierarchy = "published_at"
    inlines = [CaseLinkInline, CaseAttachmentInline]
    actions = ["publish", "archive", "feature", "unfeature"]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        def clean_cover_image(self):
            image = self.cleaned_data.get("cover_image")
            if image and hasattr(image, "image"):
                validate_cover_image(image)
            return image

        form.clean_cover_image = clean_cover_image
        return form

    def save_model(self, request, obj, form, change):
        """Stamp who changed what: the admin writes a revision like the site's services do."""
        if not obj.slug:
            obj.slug = services._unique_slug(obj.title)
        cover = obj.cover_image if not obj.pk and obj.cover_image else None
        if cover:
            obj.cover_image = ""  # uploads live under cases/<id>/: save once to get the id
        super().save_model(request, obj, form, change)
        if cover:
            obj.cover_image = cover
            obj.save(update_fields=["cover_image"])
        previous = {
            name: revision_value(form.initial.get(name))
            for name in form.changed_data
            if name not in {"tags"}
        }
        if change and form.changed_data:
            CaseRevision.objects.create(
                case=obj,
                editor=request.user,
                action="admin_edit",
                changed_fields=sorted(form.changed_data),
                previous_values={k: v for k, v in previous.items() if _is_json(v)},
            )
        elif not change:
            CaseRevision.objects.create(case=obj, editor=request.user, action="admin_create")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.index(form.instance)  # after the tags are saved: they are part of the entry

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, CaseAttachment) and not instance.uploaded_by_id:
                instance.uploaded_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def _run(self, request, queryset, service, done: str, **kwargs):
        ok = 0
        for case in queryset:
            try:
                service(case=case, user=request.user, **kwargs)
                ok += 1
            except (PermissionDenied, ValidationError) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{case}: {text}", messages.WARNING)
        if ok:
            self.message_user(request, done % {"count": ok}, messages.SUCCESS)

    @admin.action(description=_("Publish selected cases"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            services.case_publish,
            ngettext("%(count)d case published.", "%(count)d cases published.", queryset.count()),
        )

    @admin.action(description=_("Archive selected cases"))
    def archive(self, request, queryset):
        self._run(
            request,
            queryset,
            services.case_archive,
            ngettext("%(count)d case archived.", "%(count)d cases archived.", queryset.count()),
        )

    @admin.action(description=_("Feature selected cases"))
    def feature(self, request, queryset):
        self._run(
            request,
            queryset,
            services.case_set_featured,
            ngettext("%(count)d case featured.", "%(count)d cases featured.", queryset.count()),
            featured=True,
        )

    @admin.action(description=_("Stop featuring selected cases"))
    def unfeature(self, request, queryset):
        self._run(
            request,
            queryset,
            services.case_set_featured,
            ngettext(
                "%(count)d case no longer featured.",
                "%(count)d cases no longer featured.",
                queryset.count(),
            ),
            featured=False,
        )


def _is_json(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


