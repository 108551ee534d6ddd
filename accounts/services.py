"""Writes to accounts: the admin, management commands and the demo seeding call these.

Sign-up itself runs through allauth (accounts.adapter); these services are for accounts made
on someone's behalf, which follow the same rules: the e-mail is the login, it is stored in
lower case, and the account belongs to the organisation that owns the address's domain.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    MODERATORS_GROUP,
    ClimatePlan,
    EmailDomain,
    EmissionRecord,
    FeedToken,
    Notification,
    Organisation,
    PlanAction,
    User,
)
from komvidere import registry
from komvidere.models import Sector


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    name: str = "",
    job_title: str = "",
    bio: str = "",
    organisation: Organisation | None = None,
    sectors: Iterable = (),
    themes: Iterable = (),
    email_notifications: str = User.NotifyBy.IMMEDIATELY,
    is_staff: bool = False,
    is_superuser: bool = False,
    verified: bool = False,
) -> User:
    """Create an account and its allauth e-mail address (primary; verified when `verified`).

    Without `organisation`, the organisation owning the address's domain is used, as at
    sign-up. The password is checked by the password validators; without one the account
    cannot log in with a password (single sign-on or a reset link still work). Raises
    ValidationError for invalid fields or an address that is already in use.
    """
    email = User.objects.normalize_email((email or "").strip()).lower()
    if User.objects.filter(email__iexact=email).exists() or (
        EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    if organisation is None:
        match = EmailDomain.objects.match(email)
        organisation = match.organisation if match else None
    user = User(
        email=email,
        name=name,
        job_title=job_title,
        bio=bio,
        organisation=organisation,
        email_notifications=email_notifications,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.sectors.set(sectors)
    user.themes.set(themes)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@transaction.atomic
def user_set_moderator(*, user: User, moderator: bool) -> User:
    """Add the user to the moderators' group, or take them out of it."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if moderator:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    user.__dict__.pop("_is_moderator", None)  # User.is_moderator caches the answer
    user.__dict__.pop("_cached_state", None)
    return user


# --- Data rights and preferences ----------------------------------------------------------------

EXPORT_SECTIONS = (
    "profile",
    "cases",
    "dilemmas",
    "replies",
    "follows",
    "notifications",
    "helpful_marks",
    "flags",
)


def user_export_data(*, user: User) -> dict:
    """Everything the portal holds about the member, as JSON-ready data under EXPORT_SECTIONS.

    The content apps add their part through the registry (komvidere.registry.PersonalData),
    so accounts names none of them. Anonymous dilemmas are included: they are the member's.
    """
    data: dict = {key: [] for key in EXPORT_SECTIONS}
    data["profile"] = {
        "email": user.email,
        "name": user.name,
        "job_title": user.job_title,
        "bio": user.bio,
        "organisation": user.organisation.name if user.organisation_id else "",
        "sectors": [s.name for s in user.sectors.all()],
        "themes": [t.name for t in user.themes.all()],
        "email_notifications": user.email_notifications,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "single_sign_on": [
            {"provider": a.provider, "uid": a.uid, "date_joined": a.date_joined}
            for a in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "two_factor": [
            {"type": a.type, "created_at": a.created_at}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "feed_key_created_at": getattr(
            FeedToken.objects.filter(user=user).first(), "created_at", None
        ),
    }
    data["notifications"] = [
        {
            "kind": n.kind,
            "title": n.title,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "emailed_at": n.emailed_at,
        }
        for n in Notification.objects.for_user(user).order_by("pk")
    ]
    for entry in registry.personal_data():
        for key, rows in entry.export(user).items():
            if key not in data:
                raise ValueError(f"{entry.key} exports {key!r}, which is no export section")
            data[key].extend(rows)
    return data


@transaction.atomic
def user_delete(*, user: User) -> User:
    """Delete the member's account for good, keeping what they wrote.

    Erased: name, e-mail, job title, bio, sectors and themes, the password (login becomes
    impossible), groups and permissions. Removed: their notifications, follows, feed key,
    two-factor devices, allauth e-mail addresses and single sign-on accounts. Every session
    ends, because the session hash follows the password. What they wrote stays and is shown
    as written by "a former member" of their organisation (User.display_name); anonymous
    posts stay anonymous. The row itself stays so the content keeps an author.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        return user
    # Each content app first, while the name and address are still known to them.
    for entry in registry.personal_data():
        entry.anonymise(user)
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(actor=user).update(actor=None)
    FeedToken.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # The admin's change history names the account by its old label.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=str(_("a former member")), change_message="")
    user.deleted_at = timezone.now()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.name = ""
    user.job_title = ""
    user.bio = ""
    user.language = ""
    user.email_notifications = User.NotifyBy.NEVER
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.sectors.clear()
    user.themes.clear()
    user.groups.clear()
    user.user_permissions.clear()
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the member's interface language (also used for their e-mails)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    if user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
    return user


# --- Municipal greenhouse-gas accounts ------------------------------------------------------------

EMISSION_COLUMNS = ("municipality_code", "year", "sector", "tonnes_co2e", "source")
EMISSION_SECTOR_ALIASES = Path(__file__).resolve().parent / "data" / "emission_sectors.csv"


@dataclass
class ImportResult:
    """What an import wrote: rows read, rows created and updated."""

    rows: int = 0
    created: int = 0
    updated: int = 0


def _emission_sector_lookup() -> dict[str, Sector]:
    """Our sectors by slug, Danish and English name, and by the labels of the national
    accounts (accounts/data/emission_sectors.csv); all keys in lower case."""
    sectors = {s.slug: s for s in Sector.objects.all()}
    lookup: dict[str, Sector] = {}
    for sector in sectors.values():
        for key in (sector.slug, sector.name, sector.name_en):
            if key:
                lookup[key.strip().lower()] = sector
    with EMISSION_SECTOR_ALIASES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["sector"] in sectors:
                lookup.setdefault(row["label"].strip().lower(), sectors[row["sector"]])
    return lookup


def _decimal(text: str) -> Decimal:
    """A figure as written in Danish or English: 1234.5, 1234,5 or 1 234,5."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def emissions_parse(text: str) -> tuple[list[dict], list[str]]:
    """Read an emissions CSV (EMISSION_COLUMNS, comma or semicolon separated) into figures.

    Returns the figures (organisation, year, sector, tonnes_co2e, source) and the errors, each
    naming its line. Lines whose national labels map to the same sector of ours (El and
    Fjernvarme are both Energi) are added up; the same label twice is an error.
    """
    errors: list[str] = []
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        return [], [_("The file is empty.")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in EMISSION_COLUMNS if column not in header]
    if missing:
        return [], [
            _("Line 1: the columns %(missing)s are missing (expected: %(expected)s).")
            % {"missing": ", ".join(missing), "expected": ", ".join(EMISSION_COLUMNS)}
        ]
    reader.fieldnames = header
    # Statistics write 101 or 0101: leading zeros do not matter.
    organisations = {o.code.lstrip("0"): o for o in Organisation.objects.exclude(code="")}
    sectors = _emission_sector_lookup()
    figures: dict[tuple, dict] = {}
    seen_labels: dict[tuple, int] = {}
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        problems = []
        code = (row.get("municipality_code") or "").strip().lstrip("0")
        organisation = organisations.get(code) if code else None
        if organisation is None:
            problems.append(
                _("unknown municipality code “%(code)s”")
                % {"code": (row.get("municipality_code") or "").strip()}
            )
        year = None
        try:
            year = int((row.get("year") or "").strip())
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(
                _("the year “%(year)s” is not a year between 1990 and 2100")
                % {"year": (row.get("year") or "").strip()}
            )
        label = (row.get("sector") or "").strip()
        sector = sectors.get(label.lower())
        if sector is None:
            problems.append(_("unknown sector “%(sector)s”") % {"sector": label})
        tonnes = None
        raw_tonnes = (row.get("tonnes_co2e") or "").strip()
        try:
            tonnes = _decimal(raw_tonnes)
        except (InvalidOperation, ValueError):
            problems.append(_("“%(value)s” is not a number") % {"value": raw_tonnes})
        else:
            if tonnes < 0:
                problems.append(
                    _("the tonnes CO2e cannot be negative (%(value)s)") % {"value": raw_tonnes}
                )
            elif tonnes >= Decimal("1e13"):
                problems.append(_("%(value)s tonnes is too large") % {"value": raw_tonnes})
        source = (row.get("source") or "").strip()
        if not source:
            problems.append(_("the source is missing"))
        elif len(source) > 200:
            problems.append(_("the source is longer than 200 characters"))
        if not problems:
            label_key = (organisation.pk, year, label.lower())
            if label_key in seen_labels:
                problems.append(
                    _("the same municipality, year and sector as line %(line)d")
                    % {"line": seen_labels[label_key]}
                )
            else:
                seen_labels[label_key] = number
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        key = (organisation.pk, year, sector.pk)
        if key in figures:
            figures[key]["tonnes_co2e"] += tonnes
            if source not in figures[key]["source"]:
                figures[key]["source"] = f"{figures[key]['source']}; {source}"[:200]
        else:
            figures[key] = {
                "organisation": organisation,
                "year": year,
                "sector": sector,
                "tonnes_co2e": tonnes,
                "source": source,
            }
    if not figures and not errors:
        errors.append(_("The file has no figures."))
    return list(figures.values()), errors


def emissions_import(*, text: str, is_sample: bool = False) -> ImportResult:
    """Import a municipal emissions CSV: all of it or, if any line is wrong, none of it.

    A figure for an organisation, year and sector that is already there is replaced. Raises
    ValidationError listing every bad line with its number; then nothing has changed.
    """
    figures, errors = emissions_parse(text)
    if errors:
        raise ValidationError(errors)
    result = ImportResult(rows=len(figures))
    now = timezone.now()
    with transaction.atomic():
        for figure in figures:
            _record, created = EmissionRecord.objects.update_or_create(
                organisation=figure["organisation"],
                year=figure["year"],
                sector=figure["sector"],
                defaults={
                    "tonnes_co2e": figure["tonnes_co2e"].quantize(Decimal("0.1")),
                    "source": figure["source"],
                    "is_sample": is_sample,
                    "imported_at": now,
                },
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


# --- Climate plans and their actions --------------------------------------------------------------

PLAN_ACTION_COLUMNS = ("code", "title", "sector", "description")


def can_manage_plan(user, organisation: Organisation) -> bool:
    """The organisation's own members and the coordinators (moderators, admins) keep its
    climate plan and actions up to date."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff or user.is_moderator or user.organisation_id == organisation.pk)


def _require_plan_manager(user, organisation: Organisation) -> None:
    if not can_manage_plan(user, organisation):
        raise PermissionDenied(_("Only the organisation's members and coordinators may do this."))


@transaction.atomic
def climate_plan_save(
    *,
    organisation: Organisation,
    user: User,
    url: str = "",
    adopted_year: int | None = None,
    reduction_2030_percent: int | None = None,
    net_zero_year: int | None = None,
) -> ClimatePlan:
    """Create or change the organisation's climate plan. Raises ValidationError for a bad
    field, PermissionDenied for someone outside the organisation who is not a coordinator."""
    _require_plan_manager(user, organisation)
    plan = ClimatePlan.objects.filter(organisation=organisation).first() or ClimatePlan(
        organisation=organisation
    )
    plan.url = url or ""
    plan.adopted_year = adopted_year
    plan.reduction_2030_percent = reduction_2030_percent
    plan.net_zero_year = net_zero_year
    plan.full_clean()
    plan.save()
    return plan


def _save_action(action: PlanAction) -> PlanAction:
    action.full_clean(validate_unique=False)
    duplicates = PlanAction.objects.filter(organisation=action.organisation).exclude(pk=action.pk)
    errors = {}
    if duplicates.filter(title__iexact=action.title).exists():
        errors["title"] = _("The plan already has an action with this title.")
    if action.code and duplicates.filter(code__iexact=action.code).exists():
        errors["code"] = _("The plan already has an action with this number.")
    if errors:
        raise ValidationError(errors)
    action.save()
    return action


@transaction.atomic
def plan_action_create(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    code: str = "",
    description: str = "",
    sector=None,
    position: int | None = None,
) -> PlanAction:
    """Add an action to the organisation's plan (last, unless a position is given)."""
    _require_plan_manager(user, organisation)
    if position is None:
        last = organisation.plan_actions.order_by("-position").first()
        position = last.position + 1 if last else 1
    action = PlanAction(
        organisation=organisation,
        title=(title or "").strip(),
        code=(code or "").strip(),
        description=(description or "").strip(),
        sector=sector,
        position=position,
    )
    return _save_action(action)


@transaction.atomic
def plan_action_update(*, action: PlanAction, user: User, **fields) -> PlanAction:
    """Change an action's code, title, description, sector or position."""
    _require_plan_manager(user, action.organisation)
    allowed = {"code", "title", "description", "sector", "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    for name, value in fields.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    return _save_action(action)


@transaction.atomic
def plan_action_delete(*, action: PlanAction, user: User) -> None:
    """Remove an action; the cases that carried it out stay, no longer linked to it."""
    _require_plan_manager(user, action.organisation)
    action.delete()


@transaction.atomic
def plan_actions_import(*, organisation: Organisation, user: User, text: str) -> ImportResult:
    """Load the organisation's actions from CSV (PLAN_ACTION_COLUMNS; code, sector and
    description may be empty). An action with the same number, or else the same title, is
    updated; the others are added in the file's order. All or nothing: ValidationError lists
    every bad line with its number."""
    _require_plan_manager(user, organisation)
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError(_("The file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    if "title" not in header:
        raise ValidationError(
            _("Line 1: the column “title” is missing (columns: %(columns)s).")
            % {"columns": ", ".join(PLAN_ACTION_COLUMNS)}
        )
    reader.fieldnames = header
    sectors = _emission_sector_lookup()
    existing = list(organisation.plan_actions.all())
    by_code = {a.code.lower(): a for a in existing if a.code}
    by_title = {a.title.lower(): a for a in existing}
    errors, rows, seen = [], [], {}
    for number, row in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in row.items() if isinstance(v, str) and k}
        if not any(values.values()):
            continue
        problems = []
        title, code = values.get("title", ""), values.get("code", "")
        sector = None
        if not title:
            problems.append(_("the title is missing"))
        elif len(title) > 200:
            problems.append(_("the title is longer than 200 characters"))
        if len(code) > 20:
            problems.append(_("the number is longer than 20 characters"))
        if len(values.get("description", "")) > 2000:
            problems.append(_("the description is longer than 2,000 characters"))
        if values.get("sector"):
            sector = sectors.get(values["sector"].lower())
            if sector is None:
                problems.append(_("unknown sector “%(sector)s”") % {"sector": values["sector"]})
        for key in (("code", code.lower()), ("title", title.lower())):
            if key[1] and key in seen:
                problems.append(
                    _("the same %(what)s as line %(line)d")
                    % {
                        "what": _("number") if key[0] == "code" else _("title"),
                        "line": seen[key],
                    }
                )
            elif key[1]:
                seen[key] = number
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        rows.append((title, code, values.get("description", ""), sector))
    if not rows and not errors:
        errors.append(_("The file has no actions."))
    if errors:
        raise ValidationError(errors)
    result = ImportResult(rows=len(rows))
    position = max((a.position for a in existing), default=0)
    for title, code, description, sector in rows:
        action = (by_code.get(code.lower()) if code else None) or by_title.get(title.lower())
        if action is None:
            position += 1
            action = PlanAction(organisation=organisation, position=position)
            result.created += 1
        else:
            result.updated += 1
        action.title, action.code, action.description, action.sector = (
            title,
            code,
            description,
            sector,
        )
        try:
            _save_action(action)
        except ValidationError as exc:
            # Rolls the whole import back (the transaction), naming the clash.
            raise ValidationError(
                _("“%(title)s”: %(problem)s") % {"title": title, "problem": " ".join(exc.messages)}
            ) from None
    return result
