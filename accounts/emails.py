"""Every e-mail the portal sends has a plain-text part and a simple HTML part, in the
recipient's language.

The HTML is one column at most 600 px wide, laid out with tables and inline styles only (no
flex, no grid, no stylesheet), which desktop Outlook renders as intended; each item is its own
table row, so Outlook's "remove extra line breaks" cannot merge two lines of text.

Our own mails (`build()`) come from three templates: `<name>_subject.txt`, `<name>.txt` and
`<name>.html`. allauth's mails have text templates only; `html_from_text()` gives them the same
HTML frame around their text (the account adapter calls it).
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

SUBJECT_PREFIX = "[Kom Videre] "
_URL = re.compile(r"^https?://\S+$")


def _context(extra: dict) -> dict:
    return {
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
        "site_url": settings.SITE_URL,
        "owner": {
            "name": settings.SERVICE_OWNER_NAME,
            "address": settings.SERVICE_OWNER_ADDRESS,
            "phone": settings.SERVICE_OWNER_PHONE,
            "email": settings.SERVICE_OWNER_EMAIL,
        },
        **extra,
    }


def build(*, template: str, context: dict, to: list[str], language: str) -> EmailMultiAlternatives:
    """The e-mail `template` (e.g. "accounts/email/digest") for `to`, written in `language`."""
    with translation.override(language):
        context = _context(context)
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        subject = (SUBJECT_PREFIX + subject)[:200]
        context["subject"] = subject
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message


def html_from_text(text: str, *, subject: str) -> str:
    """A text mail's paragraphs in the HTML frame; a line that is only a web address becomes
    a button, so long links never run off a phone's screen."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if len(lines) == 1 and _URL.match(lines[0]):
            blocks.append({"link": lines[0]})
        elif lines:
            blocks.append({"lines": lines})
    return render_to_string(
        "accounts/email/from_text.html", _context({"subject": subject, "blocks": blocks})
    )
