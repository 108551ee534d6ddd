"""Sections that content apps add to organisation and person pages.

`accounts` knows no content app: each content app registers its sections from its
AppConfig.ready(), and the pages here render whatever is registered, in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    template_name: str
    # (the organisation or person shown, the user viewing) -> template context for the section
    get_context: Callable[[Any, Any], dict]
    order: int = 100


organisation_sections: dict[str, Section] = {}
person_sections: dict[str, Section] = {}


def register(registry: dict[str, Section], section: Section) -> None:
    registry[section.key] = section


def build(registry: dict[str, Section], owner, viewer) -> list[dict]:
    return [
        {"template_name": section.template_name, **section.get_context(owner, viewer)}
        for section in sorted(registry.values(), key=lambda s: (s.order, s.key))
    ]
