from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from komvidere.models import PlanStage, Sector, Theme
from komvidere.tagging import tag_merge, usage_counts


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
            moved = tag_merge(survivor=survivor, others=others)
            self.message_user(
                request,
                _("Merged %(count)s tags into “%(tag)s”; %(moved)s items were retagged.")
                % {"count": len(others), "tag": survivor.name, "moved": moved},
                messages.SUCCESS,
            )
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
