from django.contrib import admin

from komvidere.models import PlanStage, Sector, Theme


@admin.register(Sector, Theme, PlanStage)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
