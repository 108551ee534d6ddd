from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from cases import services
from cases.models import Case, CaseAttachment, CaseLink
from komvidere.admin import AttachmentInlineMixin, PublishableAdminMixin, ServiceInlineMixin
from komvidere.validators import validate_cover_image


class CaseLinkInline(ServiceInlineMixin, admin.TabularInline):
    model = CaseLink
    extra = 0
    fields = ["title", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def service_add(self, request, parent, form):
        return services.link_add(case=parent, user=request.user, **_link(form))

    def service_change(self, request, obj, form):
        return services.link_update(link=obj, user=request.user, **_link(form))

    def service_delete(self, request, obj):
        services.link_delete(link=obj, user=request.user)


def _link(form) -> dict:
    return {"title": form.cleaned_data["title"], "url": form.cleaned_data["url"]}


class CaseAttachmentInline(AttachmentInlineMixin, admin.TabularInline):
    model = CaseAttachment
    parent_argument = "case"
    add_service = staticmethod(services.attachment_add)
    update_service = staticmethod(services.attachment_update)
    delete_service = staticmethod(services.attachment_delete)


@admin.register(Case)
class CaseAdmin(PublishableAdminMixin, SimpleHistoryAdmin):
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
    autocomplete_fields = ["organisation", "partners", "related_cases", "related_articles"]
    list_select_related = ["organisation"]
    readonly_fields = ["slug", "status", "featured", "published_at", "created_at", "updated_at"]
    filter_horizontal = ["sectors", "themes"]
    date_hierarchy = "published_at"
    inlines = [CaseLinkInline, CaseAttachmentInline]

    service_fields = services.FIELDS.editable
    extra_fields = {"related_articles", "review_due", "last_reviewed_at"}
    item_argument = "case"
    publish_service = staticmethod(services.case_publish)
    archive_service = staticmethod(services.case_archive)
    feature_service = staticmethod(services.case_set_featured)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        def clean_cover_image(self):
            image = self.cleaned_data.get("cover_image")
            if image and hasattr(image, "image"):
                validate_cover_image(image)
            return image

        form.clean_cover_image = clean_cover_image
        return form

    def service_create(self, request, fields, form):
        return services.case_create(author=request.user, **fields)

    def service_update(self, request, obj, fields, form):
        return services.case_update(case=obj, editor=request.user, action="admin_edit", **fields)

    def service_save_extra(self, request, obj, form, change):
        data, changed = form.cleaned_data, set(form.changed_data)
        if "related_articles" in changed:
            services.case_set_related_articles(
                case=obj, user=request.user, related_articles=data["related_articles"]
            )
        if {"review_due", "last_reviewed_at"} & changed:
            services.case_set_review(
                case=obj,
                user=request.user,
                review_due=data["review_due"],
                last_reviewed_at=data["last_reviewed_at"],
            )

    def service_delete(self, request, obj):
        services.case_delete(case=obj, user=request.user)
