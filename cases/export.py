"""The case export's columns and rows, shared by the CSV and the XLSX download: one list of
columns, each row's values in their own types (numbers, dates, text), formatted by each file."""

import datetime
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import SECTIONS, Case
from komvidere.spreadsheets import DATE, DECIMAL, INTEGER, LINK, Column


def export_columns() -> list[Column]:
    """The header, in the interface language, and the kind of each column."""
    return [
        Column(_("Title")),
        Column(_("Address"), LINK),
        Column(_("Summary"), long=True),
        Column(_("Lead organisation")),
        Column(_("Partners")),
        Column(_("Region")),
        Column(_("Origin")),
        Column(_("Work status")),
        Column(_("Start year"), INTEGER),
        Column(_("End year"), INTEGER),
        Column(_("Sectors")),
        Column(_("Themes")),
        Column(_("Plan stage")),
        Column(_("Tags")),
        Column(_("CO2e reduction (tonnes per year)"), DECIMAL),
        Column(_("Budget (DKK)"), INTEGER),
        Column(_("Contact person")),
        Column(_("Contact e-mail")),
        Column(_("Status")),
        Column(_("Published"), DATE),
        Column(_("Last reviewed"), DATE),
        *(Column(str(label), long=True) for _name, label, _help in SECTIONS),
    ]


def _published_on(case: Case) -> datetime.date | None:
    return timezone.localtime(case.published_at).date() if case.published_at else None


def export_rows(cases: Iterable[Case], *, base_url: str) -> Iterator[list]:
    """One list of values per case, in the order of `export_columns()`; None when empty.
    `cases` should come from `Case.objects.for_export()`, which loads what is read here."""
    for case in cases:
        yield [
            case.title,
            base_url + case.get_absolute_url(),
            case.summary,
            case.organisation.name,
            "; ".join(p.name for p in case.partners.all()),
            case.organisation.get_region_display(),
            case.get_origin_display(),
            case.get_work_status_display(),
            case.year_start,
            case.year_end,
            "; ".join(s.label for s in case.sectors.all()),
            "; ".join(t.label for t in case.themes.all()),
            case.plan_stage.label if case.plan_stage else None,
            "; ".join(sorted(t.name for t in case.tags.all())),
            case.co2e_tonnes_per_year,
            case.budget_dkk,
            case.contact_name,
            case.contact_email,
            case.get_status_display(),
            _published_on(case),
            case.last_reviewed_at,
            *(getattr(case, name) for name, _label, _help in SECTIONS),
        ]
