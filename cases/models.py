"""Best-practice climate cases: the curated library (ARCHITECTURE §3).

Reads live on `CaseQuerySet`; every write goes through `cases.services`.
"""

import uuid
from pathlib import PurePath

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from komvidere import tagging
from komvidere.models import (
    Attachment,
    Publishable,
    PublishableQuerySet,
    RevisionBase,
    Status,
    content_language_field,
    featured_only_when_published,
)
from komvidere.search import SearchDocument
from komvidere.validators import (
    no_control_characters,
    no_html,
    validate_attachment_file,
    validate_cover_image,
)

YEAR_MIN = 1990
YEAR_MAX = 2100
SECTION_MAX_LENGTH = 20_000


class Origin(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    UTILITY = "utility", _("Utility company")
    BUSINESS = "business", _("Business")
    REGION = "region", _("Region")
    OTHER = "other", _("Other")


class Co2eMethod(models.TextChoices):
    ESTIMATED = "estimated", _("Estimated")
    CALCULATED = "calculated", _("Calculated")
    MEASURED = "measured", _("Measured")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


# The narrative sections in the order a case tells its story, with the guidance shown on the
# form. Templates and the CSV export read this list, so a new section is added in one place.
SECTIONS: list[tuple[str, str, str]] = [
    (
        "challenge",
        _("The challenge"),
        _("What problem did you set out to solve? Describe the local situation before you began."),
    ),
    (
        "objectives",
        _("Objectives"),
        _("What did you want to achieve, and by when? Quantified goals help others compare."),
    ),
    (
        "solution",
        _("The solution"),
        _("What did you actually do? Describe the measures, technology and organisation."),
    ),
    (
        "citizen_involvement",
        _("Citizen and stakeholder involvement"),
        _("Who was involved (citizens, businesses, associations, other authorities), and how?"),
    ),
    (
        "results",
        _("Results and impact"),
        _("What changed? Give measured effects where you have them, and say how you measured."),
    ),
    (
        "success_factors",
        _("Success factors"),
        _("What made it work: people, decisions, funding, timing or local conditions?"),
    ),
    (
        "limiting_factors",
        _("Limiting factors"),
        _("What held the work back or limits the effect: rules, costs, technology, support?"),
    ),
    (
        "costs_and_funding",
        _("Costs and funding"),
        _("What did it cost, and who paid? Mention funds, partnerships and operating costs."),
    ),
    (
        "lessons_learned",
        _("Lessons learned"),
        _("What worked, what was hard, and what would you do differently?"),
    ),
    (
        "transferability",
        _("Transferability"),
        _("What would another municipality need to do the same? Conditions, size, partners."),
    ),
]
SECTION_NAMES = [name for name, _label, _help in SECTIONS]


def _random_name(instance, filename: str, folder: str) -> str:
    """MEDIA_ROOT/cases/<case id>/<folder>/<random>.<ext>: names reveal nothing and can't clash."""
    case_id = instance.pk if isinstance(instance, Case) else instance.case_id
    extension = PurePath(filename).suffix.lower()[:10]
    return f"cases/{case_id}/{folder}/{uuid.uuid4().hex}{extension}"


def cover_upload_to(instance, filename: str) -> str:
    return _random_name(instance, filename, "cover")


def attachment_upload_to(instance, filename: str) -> str:
    return _random_name(instance, filename, "files")


class TaggedCase(TaggedItemBase):
    content_object = models.ForeignKey(
        "Case", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("case tag")
        verbose_name_plural = _("case tags")


class CaseQuerySet(PublishableQuerySet):
    def for_list(self):
        """What a case card needs. Tags are attached per page by `attach_tags()` (one query)."""
        return (
            self.select_related("organisation", "plan_stage")
            .prefetch_related("sectors")
            .defer(*SECTION_NAMES)  # the long narrative texts are not shown in lists
        )

    def for_detail(self):
        """With the rows the case page shows; its lists (DETAIL_PREFETCHES) are fetched when
        the page is rendered, not when it is cached (komvidere.mixins.CachedDetailMixin)."""
        return self.select_related("organisation", "plan_stage", "plan_action", "author")

    def for_export(self):
        return self.select_related("organisation", "plan_stage").prefetch_related(
            "partners", "sectors", "themes", "tags"
        )

    def for_search_index(self):
        return self.select_related("organisation").prefetch_related("tags")

    def for_organisation(self, organisation):
        """Published cases the organisation leads or takes part in (for its organisation page)."""
        partner_of = Case.partners.through.objects.filter(organisation=organisation).values(
            "case_id"
        )
        return (
            self.published()
            .filter(Q(organisation=organisation) | Q(pk__in=partner_of))
            .for_list()
            .order_by("-published_at", "-pk")
        )

    def matching(self, text: str):
        """A plain text filter: every word must occur in the title, summary or a section.

        A stop-gap until full-text search lands (issue 5). SQLite's LIKE folds ASCII only.
        """
        queryset = self
        for term in text.split()[:10]:
            condition = Q(title__icontains=term) | Q(summary__icontains=term)
            for name in SECTION_NAMES:
                condition |= Q(**{f"{name}__icontains": term})
            queryset = queryset.filter(condition)
        return queryset

    def ordered(self, sort: str):
        orderings = {
            "newest": [F("published_at").desc(nulls_last=True), "-created_at"],
            "updated": ["-updated_at"],
            "title": ["title"],
            "co2e": [F("co2e_tonnes_per_year").desc(nulls_last=True), "-published_at"],
        }
        return self.order_by(*orderings.get(sort, orderings["newest"]), "-pk")


def attach_tags(cases) -> list:
    """Give each item a `tag_list` with one query for the whole page (komvidere.tagging)."""
    return tagging.attach_tags(cases, TaggedCase)


def _text_validators():
    return [no_control_characters]


class Case(Publishable):
    title = models.CharField(
        _("title"), max_length=200, validators=[no_control_characters, no_html]
    )
    language = content_language_field()
    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    summary = models.CharField(
        _("summary"),
        max_length=500,
        validators=[no_control_characters, no_html],
        help_text=_("At most 500 characters, plain text. Shown in lists and search results."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        "accounts.Organisation",
        related_name="partner_cases",
        blank=True,
        verbose_name=_("partner organisations"),
    )
    origin = models.CharField(
        _("origin"),
        max_length=20,
        choices=Origin,
        default=Origin.MUNICIPALITY,
        help_text=_("Who started the initiative."),
    )
    work_status = models.CharField(
        _("work status"), max_length=20, choices=WorkStatus, default=WorkStatus.ONGOING
    )
    year_start = models.PositiveSmallIntegerField(
        _("start year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
    )
    year_end = models.PositiveSmallIntegerField(
        _("end year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("Leave empty if the work is still going on."),
    )
    sectors = models.ManyToManyField(
        "komvidere.Sector", related_name="cases", verbose_name=_("sectors")
    )
    themes = models.ManyToManyField(
        "komvidere.Theme", related_name="cases", blank=True, verbose_name=_("themes")
    )
    plan_stage = models.ForeignKey(
        "komvidere.PlanStage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("plan stage"),
        help_text=_("Where in the DK2020 planning cycle this case belongs."),
    )
    plan_action = models.ForeignKey(
        "accounts.PlanAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("plan action"),
        help_text=_("The action of the lead organisation's climate plan this case carries out."),
    )
    tags = TaggableManager(
        through=TaggedCase,
        blank=True,
        verbose_name=_("tags"),
        help_text=_("Free keywords separated by commas, for example: varmepumper, skybrud."),
    )

    challenge = models.TextField(
        _("the challenge"), blank=True, max_length=SECTION_MAX_LENGTH, validators=_text_validators()
    )
    objectives = models.TextField(
        _("objectives"), blank=True, max_length=SECTION_MAX_LENGTH, validators=_text_validators()
    )
    solution = models.TextField(
        _("the solution"), blank=True, max_length=SECTION_MAX_LENGTH, validators=_text_validators()
    )
    citizen_involvement = models.TextField(
        _("citizen and stakeholder involvement"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    results = models.TextField(
        _("results and impact"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    costs_and_funding = models.TextField(
        _("costs and funding"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    lessons_learned = models.TextField(
        _("lessons learned"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    transferability = models.TextField(
        _("transferability"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )

    success_factors = models.TextField(
        _("success factors"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    limiting_factors = models.TextField(
        _("limiting factors"),
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=_text_validators(),
    )
    implementation_time = models.CharField(
        _("implementation time"),
        max_length=100,
        blank=True,
        validators=[no_control_characters, no_html],
        help_text=_("How long it took or will take, for example: 2 years."),
    )

    co2e_tonnes_per_year = models.DecimalField(
        _("CO2e reduction (tonnes per year)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Estimated yearly reduction in tonnes of CO2 equivalents. Leave empty if unknown."
        ),
    )
    co2e_method = models.CharField(
        _("CO2e method"),
        max_length=20,
        choices=Co2eMethod,
        blank=True,
        help_text=_("How the reduction was found: estimated, calculated or measured."),
    )
    co2e_baseline_year = models.PositiveSmallIntegerField(
        _("CO2e baseline year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)],
        help_text=_("The year the reduction is measured against."),
    )
    budget_dkk = models.BigIntegerField(
        _("budget (DKK)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Total budget in Danish kroner, whole kroner. Leave empty if unknown."),
    )

    contact_name = models.CharField(
        _("contact person"),
        max_length=150,
        blank=True,
        validators=[no_control_characters, no_html],
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    location_address = models.CharField(
        _("location"),
        max_length=200,
        blank=True,
        validators=[no_control_characters, no_html],
        help_text=_("An address or place name, for example: Havnegade 1, Vejle."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    cover_image = models.ImageField(
        _("cover image"),
        upload_to=cover_upload_to,
        blank=True,
        max_length=255,
        validators=[validate_cover_image],
        help_text=_("PNG, JPEG or WebP, at most 5 MB."),
    )
    cover_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        validators=[no_control_characters, no_html],
        help_text=_("Photographer or source of the cover image."),
    )

    related_cases = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("related cases")
    )
    related_articles = models.ManyToManyField(
        "articles.Article",
        blank=True,
        related_name="linked_cases",
        verbose_name=_("related articles"),
    )

    objects = CaseQuerySet.as_manager()
    # One revision per change, recorded by the services (komvidere.publishing.record).
    revisions = HistoricalRecords(bases=[RevisionBase], user_related_name="+")
    skip_history_when_saving = True

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="case_status_published_idx"),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status_updated_idx"),
            models.Index(fields=["status", "title", "-id"], name="case_status_title_idx"),
            models.Index(fields=["status", "-co2e_tonnes_per_year"], name="case_status_co2e_idx"),
            # The home page's featured cases (a handful among thousands).
            models.Index(
                fields=["-published_at"],
                condition=Q(status=Status.PUBLISHED, featured=True),
                name="case_featured_idx",
            ),
            # The list's "newest" and "CO2e" orderings sort NULLS LAST; PostgreSQL gets indexes
            # that match them exactly in migration 0010 (SQLite cannot declare NULLS LAST).
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_start__isnull=True)
                | Q(year_start__gte=YEAR_MIN, year_start__lte=YEAR_MAX),
                name="case_year_start_range",
            ),
            models.CheckConstraint(
                condition=Q(year_end__isnull=True)
                | Q(year_end__gte=YEAR_MIN, year_end__lte=YEAR_MAX),
                name="case_year_end_range",
            ),
            models.CheckConstraint(
                condition=Q(year_start__isnull=True)
                | Q(year_end__isnull=True)
                | Q(year_end__gte=F("year_start")),
                name="case_years_in_order",
            ),
            models.CheckConstraint(
                condition=Q(co2e_tonnes_per_year__isnull=True) | Q(co2e_tonnes_per_year__gte=0),
                name="case_co2e_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget_dkk__isnull=True) | Q(budget_dkk__gte=0),
                name="case_budget_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(co2e_baseline_year__isnull=True)
                | Q(co2e_baseline_year__gte=YEAR_MIN, co2e_baseline_year__lte=YEAR_MAX),
                name="case_co2e_baseline_year_range",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="case_point_complete_and_in_range",
            ),
            featured_only_when_published("case_featured_only_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"slug": self.slug})

    def get_edit_url(self):
        return reverse("cases:edit", kwargs={"slug": self.slug})

    def sections(self) -> list[tuple[str, str, str]]:
        """(name, label, text) for every section that has content."""
        return [
            (name, label, getattr(self, name))
            for name, label, _help in SECTIONS
            if getattr(self, name).strip()
        ]

    @property
    def years(self) -> str:
        if self.year_start and self.year_end:
            return f"{self.year_start}–{self.year_end}"
        if self.year_start:
            return f"{self.year_start}–"
        return str(self.year_end or "")

    def search_document(self) -> SearchDocument | None:
        """What search may show of this case: only a published one."""
        if self.status != Status.PUBLISHED:
            return None
        return SearchDocument(
            kind="case",
            title=self.title,
            url=self.get_absolute_url(),
            summary=self.summary,
            body="\n\n".join(getattr(self, name) for name in SECTION_NAMES if getattr(self, name)),
            tags=" ".join(tag.name for tag in self.tags.all()),
            meta=" · ".join(filter(None, [self.organisation.name, self.get_work_status_display()])),
            language=self.language,
            published_at=self.published_at,
            boost=1.2,  # a published case: tried, written up and reviewed
        )

    def is_review_overdue(self) -> bool:
        return bool(self.review_due and self.review_due < timezone.localdate())


class CaseLink(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links", verbose_name=_("case")
    )
    title = models.CharField(
        _("link text"), max_length=200, validators=[no_control_characters, no_html]
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.title


class CaseAttachment(Attachment):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        max_length=255,
        validators=[validate_attachment_file],
    )

    class Meta(Attachment.Meta):
        pass

    def get_absolute_url(self):
        return reverse("cases:attachment", kwargs={"slug": self.case.slug, "pk": self.pk})

    def get_delete_url(self):
        return reverse("cases:attachment_delete", kwargs={"slug": self.case.slug, "pk": self.pk})


__all__ = [
    "Case",
    "CaseAttachment",
    "CaseLink",
    "Origin",
    "SECTIONS",
    "Status",
    "TaggedCase",
    "WorkStatus",
    "attach_tags",
]


# The lists the case page shows (CaseQuerySet.for_detail).
DETAIL_PREFETCHES = (
    "partners",
    "sectors",
    "themes",
    "tags",
    "links",
    Prefetch("attachments", queryset=CaseAttachment.objects.order_by("uploaded_at")),
    Prefetch(
        "related_cases",
        queryset=Case.objects.published().select_related("organisation"),
        to_attr="published_related_cases",
    ),
)
