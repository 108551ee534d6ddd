"""The demo content for local runs (seed_demo): the TOML files in this folder, written through
the services, so that the demo gets revisions, search entries, counters, follows and
notifications exactly as if members had written it.

- people.toml: the demo accounts (accounts.services), their password and the logins to print;
- cases.toml: cases (cases.services), each with a cover drawn by covers.py from covers.toml;
- dilemmas.toml: threads with their replies, accepted answers, helpful marks and conclusions
  (dilemmas.services);
- articles.toml: knowledge articles (articles.services);
- emissions.csv: a small municipal greenhouse-gas account, invented and stored as sample data
  (accounts.services.emissions_import with is_sample), so every page labels it as such. It
  is left out once real figures have been imported, so it never mixes with them.

Idempotent: a person is recognised by e-mail, a case by organisation and title, a dilemma and
an article by title. What exists is left as it is, except that a demo case without a cover
image gets one, so a second run changes nothing. Content is written oldest first (cases in
file order, dilemmas and articles by their `days_ago`), so "newest" lists show a sensible
order; the services stamp the time of writing, not dates from the files.

The demo people's e-mail preference comes from people.toml ("never"), so seeding e-mails
nobody: their addresses may be real municipal ones.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import services as accounts_services
from accounts.models import EmissionRecord, Organisation, User
from articles import services as articles_services
from articles.models import Article
from cases import services as cases_services
from cases.models import Case
from dilemmas import services as dilemmas_services
from dilemmas.models import Dilemma
from komvidere.models import PlanStage, Sector, Status, Theme
from komvidere.validators import validate_cover_image
from portal.demo.covers import draw_cover

DATA = Path(__file__).resolve().parent


def read(name: str) -> dict[str, Any]:
    """One data file of this folder, e.g. read("cases")."""
    with (DATA / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


@dataclass
class Summary:
    """What one run created (everything else was there already)."""

    people: int = 0
    cases: int = 0
    covers: int = 0
    dilemmas: int = 0
    replies: int = 0
    articles: int = 0
    emissions: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    password: str = ""


class _Terms:
    """Taxonomy terms and organisations by slug; an unknown slug names the file it came from."""

    def __init__(self):
        self.tables = {
            "sector": {s.slug: s for s in Sector.objects.all()},
            "theme": {t.slug: t for t in Theme.objects.all()},
            "plan stage": {p.slug: p for p in PlanStage.objects.all()},
            "organisation": {o.slug: o for o in Organisation.objects.all()},
        }

    def one(self, kind: str, slug: str | None, where: str):
        if slug is None:
            return None
        try:
            return self.tables[kind][slug]
        except KeyError:
            raise ValueError(f"{where}: unknown {kind} {slug!r}") from None

    def many(self, kind: str, slugs, where: str) -> list:
        return [self.one(kind, slug, where) for slug in slugs or ()]


def _oldest_first(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda item: -item.get("days_ago", 0))


@transaction.atomic
def seed() -> Summary:
    """Seed everything that is missing; return what was created and the logins to show."""
    summary = Summary()
    terms = _Terms()
    people = _seed_people(summary, terms)
    _seed_cases(summary, terms, people)
    _seed_dilemmas(summary, terms, people)
    _seed_articles(summary, terms, people)
    _seed_emissions(summary)
    return summary


def _seed_emissions(summary: Summary) -> None:
    """The sample account, unless real figures are there (they are never overwritten)."""
    if EmissionRecord.objects.filter(is_sample=False).exists():
        return
    text = (DATA / "emissions.csv").read_text(encoding="utf-8")
    result = accounts_services.emissions_import(text=text, is_sample=True)
    summary.emissions = result.created


# --- people ---------------------------------------------------------------------------------------


def _seed_people(summary: Summary, terms: _Terms) -> dict[str, User]:
    data = read("people")
    summary.password = data["password"]
    existing = {user.email: user for user in User.objects.filter(email__in=_emails(data))}
    people: dict[str, User] = {}
    for spec in data["person"]:
        email = spec["email"]
        user = existing.get(email)
        if user is None:
            where = f"people.toml {email}"
            role = spec.get("role", "member")
            user = accounts_services.user_create(
                email=email,
                password=data["password"],
                name=spec["name"],
                job_title=spec.get("job_title", ""),
                bio=spec.get("bio", ""),
                sectors=terms.many("sector", spec.get("sectors"), where),
                themes=terms.many("theme", spec.get("themes"), where),
                email_notifications=data["email_notifications"],
                is_staff=role == "admin",
                is_superuser=role == "admin",
                verified=True,
            )
            if role == "moderator":
                accounts_services.user_set_moderator(user=user, moderator=True)
            summary.people += 1
        people[email] = user
    roles = {spec["email"]: spec.get("role", "member") for spec in data["person"]}
    summary.logins = [(roles[email], email) for email in data["logins"]]
    return people


def _emails(data: dict) -> list[str]:
    return [spec["email"] for spec in data["person"]]


def _person(people: dict[str, User], email: str, where: str) -> User:
    try:
        return people[email]
    except KeyError:
        raise ValueError(f"{where}: {email!r} is not in people.toml") from None


# --- cases ----------------------------------------------------------------------------------------

# Keys of a case in cases.toml that are not case fields, and the fields given as slugs.
_CASE_KEYS = {"author", "status", "featured", "links", "review_due_in_days"}
_CASE_TERMS = {
    "organisation": "organisation",
    "partners": "organisation",
    "sectors": "sector",
    "themes": "theme",
    "plan_stage": "plan stage",
}


def _seed_cases(summary: Summary, terms: _Terms, people: dict[str, User]) -> None:
    data = read("cases")
    covers = read("covers")
    moderator = _person(people, data["moderator"], "cases.toml moderator")
    specs = data["case"]
    existing = {
        (case.organisation.slug, case.title): case
        for case in Case.objects.filter(title__in=[s["title"] for s in specs]).select_related(
            "organisation"
        )
    }
    for spec in specs:  # in file order: the last is the newest
        where = f"cases.toml {spec['title']!r}"
        case = existing.get((spec["organisation"], spec["title"]))
        if case is not None:
            if not case.cover_image:
                cases_services.case_update(
                    case=case, editor=moderator, **_cover(spec, covers, terms, where)
                )
                summary.covers += 1
            else:  # a cover stored before covers had renditions gets them now
                cases_services.case_cover_renditions(case=case)
            continue
        _create_case(spec, data, covers, terms, people, moderator, where)
        summary.cases += 1
        summary.covers += 1


def _create_case(spec, data, covers, terms, people, moderator, where) -> Case:
    author = _person(people, spec["author"], where)
    fields = {key: value for key, value in spec.items() if key not in _CASE_KEYS}
    for key, kind in _CASE_TERMS.items():
        if key in fields:
            value = fields[key]
            fields[key] = (
                terms.many(kind, value, where)
                if isinstance(value, list)
                else terms.one(kind, value, where)
            )
    if fields.get("co2e_tonnes_per_year") is not None:
        fields["co2e_tonnes_per_year"] = Decimal(str(fields["co2e_tonnes_per_year"]))
    fields.update(_cover(spec, covers, terms, where))

    status = spec.get("status", Status.PUBLISHED)
    case = cases_services.case_create(
        author=author, submit=status in (Status.SUBMITTED, Status.PUBLISHED), **fields
    )
    for link in spec.get("links", ()):
        cases_services.link_add(case=case, user=author, title=link["title"], url=link["url"])
    if status == Status.PUBLISHED:
        cases_services.case_publish(case=case, user=moderator, notify=False)
        # A case is due for review a fixed time after its last review; an overdue one was
        # therefore last reviewed that long before its due date.
        interval = timedelta(days=data["review_due_in_days"])
        due = timezone.localdate() + timedelta(days=spec.get("review_due_in_days", interval.days))
        cases_services.case_set_review(
            case=case,
            user=moderator,
            last_reviewed_at=min(timezone.localdate(), due - interval),
            review_due=due,
        )
        if spec.get("featured"):
            cases_services.case_set_featured(case=case, user=moderator, featured=True)
    return case


def _cover(spec: dict, covers: dict, terms: _Terms, where: str) -> dict[str, Any]:
    """The case's cover as an upload, checked as the case form checks an uploaded image."""
    sector = spec["sectors"][0]
    terms.one("sector", sector, where)
    style = covers["sector"][sector]
    content = draw_cover(key=spec["title"], colours=style["colours"], pattern=style["pattern"])
    name = f"{slugify(spec['title'])[:80] or 'cover'}.jpg"
    upload = forms.ImageField().clean(SimpleUploadedFile(name, content, "image/jpeg"))
    validate_cover_image(upload)
    return {"cover_image": upload, "cover_credit": spec.get("cover_credit", covers["credit"])}


# --- dilemmas -------------------------------------------------------------------------------------


def _seed_dilemmas(summary: Summary, terms: _Terms, people: dict[str, User]) -> None:
    specs = read("dilemmas")["dilemma"]
    existing = set(
        Dilemma.objects.filter(title__in=[s["title"] for s in specs]).values_list(
            "title", flat=True
        )
    )
    for spec in _oldest_first(specs):
        if spec["title"] in existing:
            continue
        summary.replies += _create_dilemma(spec, terms, people)
        summary.dilemmas += 1


def _create_dilemma(spec: dict, terms: _Terms, people: dict[str, User]) -> int:
    """Post the thread and its replies; return how many replies it got."""
    where = f"dilemmas.toml {spec['title']!r}"
    asker = _person(people, spec["author"], where)
    dilemma = dilemmas_services.dilemma_create(
        author=asker,
        kind=spec["kind"],
        title=spec["title"],
        body=spec["body"],
        sectors=terms.many("sector", spec.get("sectors"), where),
        themes=terms.many("theme", spec.get("themes"), where),
        plan_stage=terms.one("plan stage", spec.get("plan_stage"), where),
        tags=spec.get("tags", ()),
        anonymous=spec.get("anonymous", False),
        check_rate=False,
    )
    for email in spec.get("followers", ()):
        dilemmas_services.dilemma_follow(user=_person(people, email, where), dilemma=dilemma)
    accepted = None
    replies = spec.get("reply", ())
    for reply_spec in replies:
        reply = dilemmas_services.reply_create(
            author=_person(people, reply_spec["author"], where),
            dilemma=dilemma,
            body=reply_spec["body"],
            check_rate=False,
        )
        for email in reply_spec.get("helpful", ()):
            dilemmas_services.reply_toggle_helpful(user=_person(people, email, where), reply=reply)
        if reply_spec.get("accepted"):
            accepted = reply
    if accepted is not None:
        dilemma.refresh_from_db()
        dilemmas_services.dilemma_accept_reply(user=asker, dilemma=dilemma, reply=accepted)
    for title in spec.get("answered_by", ()):
        case = Case.objects.published().filter(title=title).first()
        if case is None:
            raise ValueError(f"{where}: answered_by names no published case {title!r}")
        dilemmas_services.dilemma_link_case(user=asker, dilemma=dilemma, case=case)
    if spec.get("conclusion"):
        dilemma.refresh_from_db()
        dilemmas_services.dilemma_conclude(
            user=asker, dilemma=dilemma, conclusion=spec["conclusion"]
        )
    return len(replies)


# --- articles -------------------------------------------------------------------------------------

_ARTICLE_KEYS = {"author", "status", "featured", "days_ago"}


def _seed_articles(summary: Summary, terms: _Terms, people: dict[str, User]) -> None:
    data = read("articles")
    specs = data["article"]
    existing = set(
        Article.objects.filter(title__in=[s["title"] for s in specs]).values_list(
            "title", flat=True
        )
    )
    for spec in _oldest_first(specs):
        if spec["title"] in existing:
            continue
        where = f"articles.toml {spec['title']!r}"
        author = _person(people, spec.get("author", data["author"]), where)
        fields = {key: value for key, value in spec.items() if key not in _ARTICLE_KEYS}
        fields["sectors"] = terms.many("sector", spec.get("sectors"), where)
        fields["themes"] = terms.many("theme", spec.get("themes"), where)
        fields["plan_stage"] = terms.one("plan stage", spec.get("plan_stage"), where)
        article = articles_services.article_create(author=author, **fields)
        if spec.get("status", Status.PUBLISHED) == Status.PUBLISHED:
            articles_services.article_publish(article=article, user=author)
            if spec.get("featured"):
                articles_services.article_set_featured(article=article, user=author, featured=True)
        summary.articles += 1
