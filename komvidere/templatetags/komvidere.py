import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext

from komvidere import fragments
from komvidere.forms import format_number
from komvidere.images import RENDITION_WIDTHS
from komvidere.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render user-written markdown as sanitised HTML: `{{ case.solution|markdown }}`."""
    return render_markdown(text)


@register.filter(name="kv_date", expects_localtime=True)
def kv_date(value, arg=""):
    """The portal's one date format: "2. december 2026" in Danish, "December 2, 2026" in English
    (the active language's DATE_FORMAT). `{{ value|kv_date:"time" }}` adds the time of day.
    Everything a member reads uses this filter, so dates never appear in two formats."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        day = formats.date_format(value, "DATE_FORMAT")
        if arg == "time":
            return gettext("%(date)s at %(time)s") % {
                "date": day,
                "time": formats.time_format(value, "TIME_FORMAT"),
            }
        return day
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


@register.filter(name="initials")
def initials(name):
    """Up to two initials for an avatar: "Mette Kjær" → "MK", "ole" → "O"."""
    parts = [part for part in str(name or "").replace("-", " ").split() if part[:1].isalpha()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


@register.filter(name="avatar_hue")
def avatar_hue(value) -> int:
    """One of six background colours for an initials avatar, stable per person."""
    return sum(str(value or "").encode()) % 6


@register.filter(name="model_label")
def model_label(obj) -> str:
    """What kind of thing `obj` is, in the active language: "Case", "Article"."""
    return str(obj._meta.verbose_name).capitalize()


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


@register.filter(name="rendition_srcset")
def rendition_srcset(url, original_width=""):
    """A `srcset` of an image's WebP renditions, from the URL that serves it with `?w=`:
    `{{ cover_url|rendition_srcset }}`. `{{ cover_url|rendition_srcset:2400 }}` adds the
    original itself, at most that wide, for places shown larger than the renditions."""
    if not url:
        return ""
    candidates = [(f"{url}?w={width}", width) for width in RENDITION_WIDTHS]
    if original_width:
        candidates.append((url, int(original_width)))
    return format_html_join(", ", "{} {}w", candidates)


class FragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        token = context.get("csrf_token")
        return fragments.render(
            self.key.resolve(context),
            str(token) if token else "",
            _viewer_pk(context),
            lambda: self.nodelist.render(context),
        )


def _viewer_pk(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return getattr(user, "pk", None)


class MineNode(template.Node):
    def __init__(self, owner, own, others):
        self.owner, self.own, self.others = owner, own, others

    def render(self, context):
        return fragments.mine(
            self.owner.resolve(context),
            _viewer_pk(context),
            self.own.render(context),
            self.others.render(context) if self.others is not None else "",
        )


@register.tag("mine")
def mine(parser, token):
    """`{% mine owner_pk %}what its owner sees{% else %}what others see{% endmine %}`: decided
    for the member viewing, also inside a cached fragment (komvidere.fragments.mine)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% mine %} takes one argument: the owner's pk")
    own = parser.parse(("else", "endmine"))
    others = None
    if parser.next_token().contents == "else":
        others = parser.parse(("endmine",))
        parser.delete_first_token()
    return MineNode(parser.compile_filter(bits[1]), own, others)


@register.tag("fragment")
def fragment(parser, token):
    """`{% fragment key %}...{% endfragment %}`: the enclosed HTML rendered once per `key`
    (komvidere.versions.key: the code, the content versions, the language and whatever else
    it shows), then served from the cache; no key renders it every time. Forms may go inside
    (komvidere.fragments puts each response's CSRF token in); a CSP nonce may not, and the
    key must name whatever of the member the HTML shows."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one argument: the key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
