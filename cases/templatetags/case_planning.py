"""{% case_planning case %}: the case's plan action, how its CO2e figure was found, and the
other municipalities and people working on the same (cases/planning.py)."""

from django import template

from cases.planning import others_working_on

register = template.Library()


@register.inclusion_tag("cases/includes/case_planning.html")
def case_planning(case):
    return {"case": case, **others_working_on(case)}
