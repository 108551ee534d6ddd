"""One Danish voice: the terminology list in the README holds in every Danish string a member
reads, ours and allauth's; one date format; plurals; content marked with its own language."""

import datetime
import gettext
import json
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
OUR_CATALOGUE = ROOT / "locale" / "da" / "LC_MESSAGES"
ALLAUTH_MO = Path(allauth.__file__).parent / "locale" / "da" / "LC_MESSAGES" / "django.mo"
# Placeholders are code, not words: %(email)s, {email}, mailto:, and the OIDC scope "email".
PLACEHOLDERS = re.compile(r"%\([^)]*\)[sd]|\{[^}]*\}|mailto:|\(ENTER\)email\(ENTER\)")


def forbidden_words() -> list[str]:
    """The "never" column of the README's terminology table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("### Terminology", 1)[1].split("\n\n", 2)[2]
    words = []
    for line in section.splitlines():
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 4 and "`" in cells[3]:
            words += re.findall(r"`([^`]+)`", cells[3])
    return words


def offending(text: str, pattern: re.Pattern) -> str | None:
    match = pattern.search(PLACEHOLDERS.sub("", text))
    return match.group(0) if match else None


@pytest.fixture(scope="module")
def pattern():
    words = forbidden_words()
    assert {"gennemsyn", "hjælpsom", "email", "password", "download"} <= set(words)
    return re.compile("|".join(r"(?<![\w-])" + re.escape(word) for word in words), re.IGNORECASE)


def catalogue_entries(path: Path) -> dict:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def test_the_pattern_finds_what_the_list_forbids(pattern):
    assert offending("Loggede succesfuldt ind", pattern)
    assert offending("Indsendt til gennemsyn", pattern) == "gennemsyn"
    assert offending("Senest gennemset", pattern) == "gennemse"
    assert offending("Tilføj email", pattern) == "email"
    assert offending("Du får denne e-mail", pattern) is None
    assert offending("Bekræftelse sendt til %(email)s.", pattern) is None
    assert offending("Markér som nyttigt", pattern) is None


def test_no_danish_entry_of_ours_uses_a_forbidden_word(pattern):
    bad = {
        str(msgid): (msgstr, word)
        for msgid, msgstr in catalogue_entries(OUR_CATALOGUE / "django.mo").items()
        if msgid and (word := offending(msgstr, pattern))
    }
    assert not bad, bad


def po_entries(text: str) -> dict[str, str]:
    """msgid → msgstr of the simple entries of a .po file (no context, no plural)."""
    entries = {}
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            keyword = line.split(" ", 1)[0]
            if keyword in {"msgctxt", "msgid", "msgid_plural", "msgstr"}:
                current = keyword
                line = line[len(keyword) + 1 :]
            if current and line.startswith('"'):
                fields.setdefault(current, []).append(json.loads(line))
        if (
            "msgid" in fields
            and "msgstr" in fields
            and not {"msgctxt", "msgid_plural"} & set(fields)
        ):
            entries["".join(fields["msgid"])] = "".join(fields["msgstr"])
    entries.pop("", None)
    return entries


def test_the_catalogue_is_complete_and_compiled():
    po = (OUR_CATALOGUE / "django.po").read_text()
    assert "#, fuzzy" not in po
    entries = po_entries(po)
    assert len(entries) > 500
    assert not [msgid for msgid, msgstr in entries.items() if not msgstr]
    # An edit that was not compiled would be invisible at run time.
    compiled = catalogue_entries(OUR_CATALOGUE / "django.mo")
    assert {
        msgid: msgstr for msgid, msgstr in entries.items() if compiled.get(msgid) != msgstr
    } == {}


def test_allauth_speaks_our_danish(pattern):
    """What members read of allauth, after our catalogue has overridden its translations."""
    bad = {}
    with translation.override("da"):
        for key in catalogue_entries(ALLAUTH_MO):
            if not key or isinstance(key, tuple) or "\x04" in key:
                continue  # the header; plural and context entries have none of the words
            if word := offending(translation.gettext(key), pattern):
                bad[key] = word
    assert not bad, "add these msgids to accounts/allauth_strings.py and translate them: " + repr(
        bad
    )


def test_our_translations_win_over_allauths():
    with translation.override("da"):
        assert translation.gettext("Successfully signed in as %(name)s.") == (
            "Du er logget ind som %(name)s."
        )
        assert translation.gettext("Verified") == "Bekræftet"
        assert translation.gettext("Change Password") == "Skift adgangskode"


def test_report_the_action_and_report_the_document_are_two_words():
    with translation.override("da"):
        assert translation.gettext("Report") == "Anmeld"
        assert translation.pgettext("article kind", "Report") == "Rapport"


def render(source: str, **context) -> str:
    return Template("{% load komvidere %}" + source).render(Context(context))


def test_one_date_format_in_both_languages():
    moment = datetime.datetime(2026, 12, 2, 13, 30, tzinfo=datetime.UTC)
    with translation.override("da"):
        assert render("{{ d|kv_date }}", d=moment) == "2. december 2026"
        assert render("{{ d|kv_date }}", d=moment.date()) == "2. december 2026"
        assert render('{{ d|kv_date:"time" }}', d=moment) == "2. december 2026 kl. 14:30"
    with translation.override("en"):
        assert render("{{ d|kv_date }}", d=moment) == "Dec. 2, 2026"
    assert render("{{ d|kv_date }}", d=None) == ""


def test_no_template_formats_dates_its_own_way():
    """Dates for people go through kv_date; |date is only for machine formats (datetime="c")."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for match in re.finditer(r"\|date(?::(\"[^\"]*\"|'[^']*'))?", path.read_text()):
            if match.group(1) not in ("'c'", '"c"'):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Mette Kjær", "MK"), ("ole", "O"), ("Anne-Marie Holm Sørensen", "AS"), ("", "?")],
)
def test_initials(name, expected):
    assert render("{{ n|initials }}", n=name) == expected


def test_facet_counts_are_pluralised():
    template = Template('{% include "includes/filter_panel.html" %}')
    facets = [
        {
            "name": "sector",
            "label": "Sektor",
            "values": [
                {"value": "1", "label": "Energi", "count": 1, "selected": False},
                {"value": "2", "label": "Transport", "count": 3, "selected": False},
            ],
        }
    ]
    with translation.override("en"):
        html = template.render(Context({"facets": facets, "unit_key": "cases"}))
        assert '1<span class="visually-hidden"> case</span>' in html
        assert '3<span class="visually-hidden"> cases</span>' in html
    with translation.override("da"):
        html = template.render(Context({"facets": facets, "unit_key": "articles"}))
        assert '1<span class="visually-hidden"> artikel</span>' in html
        assert '3<span class="visually-hidden"> artikler</span>' in html
