from django import template

from komvidere.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written markdown as sanitised HTML: `{{ case.solution|markdown }}`."""
    return render_markdown(text)
