from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from articles import services
from articles.models import Article, ArticleAttachment
from komvidere.admin import AttachmentInlineMixin, PublishableAdminMixin


class ArticleAttachmentInline(AttachmentInlineMixin, admin.TabularInline):
    model = ArticleAttachment
    parent_argument = "article"
    add_service = staticmethod(services.attachment_add)
    update_service = staticmethod(services.attachment_update)
    delete_service = staticmethod(services.attachment_delete)


@admin.register(Article)
class ArticleAdmin(PublishableAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "source_organisation",
        "status",
        "featured",
        "published_at",
        "last_reviewed_at",
    ]
    list_filter = ["status", "kind", "featured", "sectors", "themes", "plan_stage"]
    search_fields = ["title", "summary", "source_organisation", "author__email", "author__name"]
    autocomplete_fields = ["related_cases", "related_dilemmas"]
    list_select_related = ["plan_stage"]
    readonly_fields = [
        "slug",
        "status",
        "featured",
        "published_at",
        "created_at",
        "updated_at",
        "updated_by",
    ]
    filter_horizontal = ["sectors", "themes"]
    date_hierarchy = "published_at"
    inlines = [ArticleAttachmentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    service_fields = services.FIELDS.editable
    extra_fields = {"related_cases", "related_dilemmas"}
    item_argument = "article"
    publish_service = staticmethod(services.article_publish)
    archive_service = staticmethod(services.article_archive)
    feature_service = staticmethod(services.article_set_featured)

    def service_create(self, request, fields, form):
        return services.article_create(author=request.user, action="admin_create", **fields)

    def service_update(self, request, obj, fields, form):
        return services.article_update(
            article=obj, editor=request.user, action="admin_edit", **fields
        )

    def service_save_extra(self, request, obj, form, change):
        if {"related_cases", "related_dilemmas"} & set(form.changed_data):
            services.article_set_related(
                article=obj,
                user=request.user,
                related_cases=form.cleaned_data["related_cases"],
                related_dilemmas=form.cleaned_data["related_dilemmas"],
            )

    def service_delete(self, request, obj):
        services.article_delete(article=obj, user=request.user)
