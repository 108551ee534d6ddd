from collections.abc import Collection

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from komvidere.models import PlanStage, Sector, Theme
from komvidere.tagging import usage_counts
from komvidere.tasks import merge_tags as merge_tags_task


@admin.register(Sector, Theme, PlanStage)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


class MergeTagsForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        label=_("Keep this tag"),
        widget=forms.RadioSelect,
        help_text=_("Everything tagged with the other selected tags gets this tag instead."),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = tags


# taggit's own admin merges only its generic TaggedItem; our content uses a through model per
# content type, so merging goes through komvidere.tagging.tag_merge.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "items"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    def changelist_view(self, request, extra_context=None):
        self._counts = usage_counts()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("items"))
    def items(self, tag):
        return getattr(self, "_counts", {}).get(tag.pk, 0)

    @admin.action(description=_("Merge the selected tags into one"))
    def merge_tags(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, _("Select at least two tags to merge."), messages.WARNING)
            return None
        form = MergeTagsForm(request.POST if "apply" in request.POST else None, tags=queryset)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            others = list(queryset.exclude(pk=survivor.pk))
            # A task: at once with the immediate backend, by the worker with the database one.
            result = merge_tags_task.enqueue(survivor.pk, [tag.pk for tag in others])
            if result.is_finished and result.status == "SUCCESSFUL":
                message = _(
                    "Merged %(count)s tags into “%(tag)s”; %(moved)s items were retagged."
                ) % {"count": len(others), "tag": survivor.name, "moved": result.return_value}
            else:
                message = _(
                    "Merging %(count)s tags into “%(tag)s”: the items are retagged in the "
                    "background."
                ) % {"count": len(others), "tag": survivor.name}
            self.message_user(request, message, messages.SUCCESS)
            return None
        counts = usage_counts([tag.pk for tag in queryset])
        return TemplateResponse(
            request,
            "admin/komvidere/merge_tags.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge tags"),
                "form": form,
                "tags": [(tag, counts.get(tag.pk, 0)) for tag in queryset],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


# --- one write path: the admin is one more client of the services ---------------------------------


class ServiceInlineMixin:
    """An inline whose rows are added, changed and deleted by the app's services.

    The admin that shows it (a ServiceAdminMixin) calls one hook per row that the admin user
    added, changed or marked for deletion; a changed or deleted row comes fresh from the
    database, the submitted values are in the row's validated form."""

    def service_add(self, request, parent, form):
        """Add a row to `parent` from `form`; return it."""
        raise NotImplementedError

    def service_change(self, request, obj, form):
        """Change the row `obj` by `form`; return it."""
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError


class ServiceAdminMixin:
    """A ModelAdmin that writes only through the app's services: change form saves, inlines,
    deletes (one and many) and actions. Put it before the ModelAdmin base class.

    `service_fields` are the form fields the app's create and update services take; the app
    implements `service_create`, `service_update` and `service_delete` with them. Fields the app
    saves through other services (`extra_fields`) are handed to `service_save_extra`. Every other
    field of the model is read-only in the form: state with side effects (status, featured,
    hidden, counters, ...) changes only through the actions, which call the services too.

    A service that refuses (ValidationError) rolls the whole save back; the admin user sees
    its message on the page they came from.
    """

    service_fields: Collection[str] = ()
    extra_fields: Collection[str] = ()

    # --- hooks the app implements ---

    def service_create(self, request, fields: dict, form):
        """Create the item from `fields` (every service field the form has) and return it."""
        raise NotImplementedError

    def service_update(self, request, obj, fields: dict, form):
        """Change `obj` (fresh from the database) by `fields` (the service fields the admin
        user changed) and return it."""
        raise NotImplementedError

    def service_save_extra(self, request, obj, form, change: bool) -> None:
        """Save the `extra_fields` the admin user changed, through their services."""

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    # --- the form ---

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        writable = {*self.service_fields, *self.extra_fields}
        for field in self.model._meta.get_fields():
            if (
                getattr(field, "editable", False)
                and not field.auto_created
                and (field.concrete or field.many_to_many)
                and field.name not in writable
                and field.name not in readonly
            ):
                readonly.append(field.name)
        return readonly

    # --- saving ---

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:  # the services' last word; everything is rolled back
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in self.service_fields}
            fresh = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.service_update(request, fresh, fields, form) if fields else fresh
        else:
            fields = {name: data[name] for name in self.service_fields if name in data}
            saved = self.service_create(request, fields, form)
        # The admin goes on with the object it built the form and inlines on (the inlines'
        # foreign key, the log entry, the redirect): give it what the service saved.
        obj.__dict__.update(saved.__dict__)
        self.service_save_extra(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): relations and tags went to the services with the other fields.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        inline = self._service_inline(request, form.instance, formset)
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        manager = formset.model._default_manager
        # What formset.save() would have set: the admin's change message reads them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.initial_forms:
            if row in deleted:
                obj = manager.get(pk=row.instance.pk)
                inline.service_delete(request, obj)
                formset.deleted_objects.append(obj)
            elif row.has_changed():
                obj = manager.get(pk=row.instance.pk)
                obj = inline.service_change(request, obj, row) or obj
                formset.changed_objects.append((obj, row.changed_data))
        for row in formset.extra_forms:
            if row.has_changed() and row not in deleted:
                obj = inline.service_add(request, form.instance, row) or row.instance
                formset.new_objects.append(obj)

    def _service_inline(self, request, parent, formset) -> ServiceInlineMixin:
        for inline in self.get_inline_instances(request, parent):
            if inline.model is formset.model and isinstance(inline, ServiceInlineMixin):
                return inline
        raise ImproperlyConfigured(
            f"{type(self).__name__}: the inline for {formset.model.__name__} must be a "
            "ServiceInlineMixin, so that its rows are written by the services."
        )

    # --- deleting ---

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the bulk action: all of them or none
            for obj in queryset:
                self.service_delete(request, obj)

    # --- actions ---

    def run_service(self, request, queryset, call, done) -> int:
        """Call `call(obj)` for each selected row, report what was refused and why, and
        `done(n)` (the success message) for the n that worked."""
        ok = 0
        for obj in queryset:
            try:
                call(obj)
                ok += 1
            except (PermissionDenied, ValidationError) as exc:
                text = " ".join(getattr(exc, "messages", None) or [str(exc)])
                self.message_user(request, f"{obj}: {text}", messages.WARNING)
        if ok:
            self.message_user(request, done(ok), messages.SUCCESS)
        return ok

    def items_label(self, count: int) -> str:
        opts = self.model._meta
        return str(opts.verbose_name if count == 1 else opts.verbose_name_plural)

    # --- history (django-simple-history) ---

    def revert_disabled(self, request, obj=None):
        return True  # reverting would save the old row around the services

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AttachmentInlineMixin(ServiceInlineMixin):
    """The attachments of a case or article, written by the app's attachment services: the
    original name, size and content type are recorded, and a deleted or replaced file leaves
    storage after the commit.

    `parent_argument` is the keyword the services take the owner by; the three services are
    given as `staticmethod(services.attachment_add)` and so on."""

    parent_argument = ""
    add_service = None
    update_service = None
    delete_service = None

    extra = 0
    fields = ["title", "file", "original_name", "size", "content_type", "uploaded_by"]
    readonly_fields = ["original_name", "size", "content_type", "uploaded_by"]

    def service_add(self, request, parent, form):
        return self.add_service(
            **{self.parent_argument: parent},
            user=request.user,
            file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )

    def service_change(self, request, obj, form):
        return self.update_service(
            attachment=obj,
            user=request.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"] if "file" in form.changed_data else None,
        )

    def service_delete(self, request, obj):
        self.delete_service(attachment=obj, user=request.user)


class PublishableAdminMixin(ServiceAdminMixin):
    """Cases and articles: the publication workflow's actions call the services, and the
    state they change (status, featured, published_at, ...) is read-only in the form.

    `item_argument` is the keyword the services take the item by ("case"); the services are
    given as `staticmethod(services.case_publish)` and so on."""

    item_argument = ""
    publish_service = None
    archive_service = None
    feature_service = None

    actions = ["publish", "archive", "feature", "unfeature"]

    def _workflow(self, request, queryset, service, done, **kwargs):
        self.run_service(
            request,
            queryset,
            lambda obj: service(**{self.item_argument: obj}, user=request.user, **kwargs),
            lambda n: done(n) % {"count": n, "items": self.items_label(n)},
        )

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"))
    def publish(self, request, queryset):
        self._workflow(
            request,
            queryset,
            self.publish_service,
            lambda n: ngettext(
                "%(count)d %(items)s published.", "%(count)d %(items)s published.", n
            ),
        )

    @admin.action(description=_("Archive selected %(verbose_name_plural)s"))
    def archive(self, request, queryset):
        self._workflow(
            request,
            queryset,
            self.archive_service,
            lambda n: ngettext("%(count)d %(items)s archived.", "%(count)d %(items)s archived.", n),
        )

    @admin.action(description=_("Feature selected %(verbose_name_plural)s"))
    def feature(self, request, queryset):
        self._workflow(
            request,
            queryset,
            self.feature_service,
            lambda n: ngettext("%(count)d %(items)s featured.", "%(count)d %(items)s featured.", n),
            featured=True,
        )

    @admin.action(description=_("Stop featuring selected %(verbose_name_plural)s"))
    def unfeature(self, request, queryset):
        self._workflow(
            request,
            queryset,
            self.feature_service,
            lambda n: ngettext(
                "%(count)d %(items)s no longer featured.",
                "%(count)d %(items)s no longer featured.",
                n,
            ),
            featured=False,
        )
