from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from articles import services
from articles.models import Article, ArticleAttachment
from komvidere import search
from komvidere.validators import detect_attachment_type


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    fields = ["title", "file", "original_name", "size", "content_type", "uploaded_by"]
    readonly_fields = ["original_name", "size", "content_type", "uploaded_by"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
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
    autocomplete_fields = ["author", "related_cases", "related_dilemmas"]
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
    actions = ["publish", "archive", "feature", "unfeature"]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        """Stamp who changed what: a revision like the site's services write."""
        if not obj.slug:
            obj.slug = services._unique_slug(obj.title)
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            ArticleRevision.objects.create(article=obj, editor=request.user, action="admin_create")
        elif form.changed_data:
            ArticleRevision.objects.create(
                article=obj,
                editor=request.user,
                action="admin_edit",
                changed_fields=sorted(form.changed_data),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.index(form.instance)  # after the tags are saved: they are part of the entry

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ArticleAttachment) and instance.file and not instance.pk:
                upload = instance.file.file
                kind = detect_attachment_type(upload)
                instance.uploaded_by = instance.uploaded_by or request.user
                instance.original_name = (upload.name or "")[-255:]
                instance.size = upload.size or 0
                instance.content_type = kind.mime if kind else "application/octet-stream"
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def _run(self, request, queryset, service, done, **kwargs):
        """Call the service per article; `done(n)` is the success message for n articles."""
        ok = 0
        for article in queryset:
            try:
                service(article=article, user=request.user, **kwargs)
                ok += 1
            except (PermissionDenied, ValidationError) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{article}: {text}", messages.WARNING)
        if ok:
            self.message_user(request, done(ok), messages.SUCCESS)

    @admin.action(description=_("Publish selected articles"))
    def publish(self, request, queryset):
        self._run(
            request,
            queryset,
            services.article_publish,
            lambda n: (
                ngettext("%(count)d article published.", "%(count)d articles published.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Archive selected articles"))
    def archive(self, request, queryset):
        self._run(
            request,
            queryset,
            services.article_archive,
            lambda n: (
                ngettext("%(count)d article archived.", "%(count)d articles archived.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Feature selected articles"))
    def feature(self, request, queryset):
        self._run(
            request,
            queryset,
            services.article_set_featured,
            lambda n: (
                ngettext("%(count)d article featured.", "%(count)d articles featured.", n)
                % {"count": n}
            ),
            featured=True,
        )

    @admin.action(description=_("Stop featuring selected articles"))
    def unfeature(self, request, queryset):
        self._run(
            request,
            queryset,
            services.article_set_featured,
            lambda n: (
                ngettext(
                    "%(count)d article no longer featured.",
                    "%(count)d articles no longer featured.",
                    n,
                )
                % {"count": n}
            ),
            featured=False,
        )
