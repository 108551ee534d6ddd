"""The one registry of content types, filled by each content app in its AppConfig.ready().

The kernel and `accounts` import no content app. Whatever they do across content types
(search, related content, tags, the sections of organisation and person pages, the kinds of
notification) they look up here, so a new content app plugs in by registering itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Content:
    """One kind of content, as the kernel sees it."""

    key: str  # "case": the search kind, the related-box kind, the notification prefix
    model: type[models.Model]
    label: str  # singular, translatable
    plural: str
    # The QuerySet method that gives what every member may see.
    visible: str = "published"
    # The fields a link to an item needs (related boxes load only these).
    link_fields: tuple[str, ...] = ("title",)
    # Offered in related boxes and tag pages (a reply is found by search only).
    related: bool = True

    def visible_queryset(self) -> models.QuerySet:
        return getattr(self.model.objects, self.visible)()

    @property
    def tags_through(self):
        """The django-taggit through model that tags this content, if it has tags."""
        manager = getattr(self.model, "tags", None)
        return getattr(manager, "through", None)


@dataclass(frozen=True)
class Section:
    """A block a content app adds to the organisation or person page, or to another app's
    content page (CASE_PAGE).

    On a content page the context may carry `related`: the items the section lists that the
    page's "related" box shows first (fetched once, for both).
    """

    key: str
    template_name: str
    # (the organisation or person shown, the user viewing) -> template context for the section
    get_context: Callable[[Any, Any], dict]
    order: int = 100


@dataclass(frozen=True)
class PersonalData:
    """What a content app holds about one member, for their data export and account deletion."""

    key: str
    # member -> {export section ("cases", "replies", ...): [JSON-ready dicts]}
    export: Callable[[Any], dict[str, list]]
    # member -> None, inside the deletion's transaction: remove what only ties content to the
    # person (follows, contact details), keep what they wrote.
    anonymise: Callable[[Any], None]


@dataclass(frozen=True)
class OrganisationShare:
    """What organisations have shared of one content type, for the organisations list."""

    key: str
    # () -> {organisation id: how many items every member may see}, in one query
    counts: Callable[[], dict[int, int]]
    # count -> "3 cases", translated and pluralised
    describe: Callable[[int], str]
    order: int = 100


ORGANISATION_PAGE = "organisation"
PERSON_PAGE = "person"
CASE_PAGE = "case"

_content: dict[str, Content] = {}
_sections: dict[str, dict[str, Section]] = {ORGANISATION_PAGE: {}, PERSON_PAGE: {}, CASE_PAGE: {}}
_notification_kinds: dict[str, str] = {}
_personal_data: dict[str, PersonalData] = {}
_organisation_shares: dict[str, OrganisationShare] = {}


def register_content(content: Content) -> None:
    _content[content.key] = content


def contents(*, related: bool | None = None) -> list[Content]:
    """Every registered content type, in registration order (INSTALLED_APPS order)."""
    return [c for c in _content.values() if related is None or c.related == related]


def content(key: str) -> Content:
    return _content[key]


def content_for(model_or_obj) -> Content | None:
    model = model_or_obj._meta.concrete_model
    return next((c for c in _content.values() if c.model is model), None)


def search_kinds() -> list[tuple[str, str]]:
    """(key, label) of every searchable kind, for the search form's type choices."""
    return [(c.key, c.label) for c in _content.values() if hasattr(c.model, "search_document")]


def tag_through_models() -> list:
    return [c.tags_through for c in _content.values() if c.tags_through is not None]


def register_section(page: str, section: Section) -> None:
    _sections[page][section.key] = section


def sections(page: str, owner, viewer) -> list[dict]:
    """The registered sections of a page, in order, each as a template context."""
    return [
        {"template_name": section.template_name, **section.get_context(owner, viewer)}
        for section in sorted(_sections[page].values(), key=lambda s: (s.order, s.key))
    ]


def register_notification_kind(key: str, label: str) -> None:
    _notification_kinds[key] = label


def notification_label(key: str) -> str:
    return _notification_kinds.get(key, key)


def notification_kinds() -> list[tuple[str, str]]:
    return list(_notification_kinds.items())


def register_personal_data(entry: PersonalData) -> None:
    _personal_data[entry.key] = entry


def personal_data() -> list[PersonalData]:
    return list(_personal_data.values())


def register_organisation_share(share: OrganisationShare) -> None:
    _organisation_shares[share.key] = share


def organisation_shares() -> list[OrganisationShare]:
    return sorted(_organisation_shares.values(), key=lambda s: (s.order, s.key))
