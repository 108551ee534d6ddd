from django import template

from komvidere.forms import format_number
from komvidere.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written markdown as sanitised HTML: `{{ case.solution|markdown }}`."""
    return render_markdown(text)


@register.filter(name="number")
def number_filter(value):
    """A figure the way the interface language writes it: `{{ case.budget_dkk|number }}` gives
    2.500.000 in Danish, 2,500,000 in English; 12,5 stays 12,5 and 125,0 becomes 125."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value)
    except (ArithmeticError, TypeError, ValueError):
        return value
