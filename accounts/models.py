from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from komvidere import registry

MODERATORS_GROUP = "Moderators"


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Region Hovedstaden")
    SJAELLAND = "sjaelland", _("Region Sjælland")
    SYDDANMARK = "syddanmark", _("Region Syddanmark")
    MIDTJYLLAND = "midtjylland", _("Region Midtjylland")
    NORDJYLLAND = "nordjylland", _("Region Nordjylland")


class OrganisationQuerySet(models.QuerySet):
    def with_member_counts(self):
        """Count the members the directory shows (active, with a verified address)."""
        return self.annotate(
            member_count=models.Count(
                "members",
                filter=models.Q(members__is_active=True, members__emailaddress__verified=True),
                distinct=True,
            )
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)
    region = models.CharField(_("region"), max_length=20, choices=Region, blank=True)
    website = models.URLField(_("website"), blank=True)
    code = models.CharField(
        _("official code"),
        max_length=10,
        blank=True,
        help_text=_(
            "The municipality or region code used in national statistics (kommunekode), "
            "for example 101. Emission accounts are imported by this code."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["region", "short_name"], name="org_region_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="organisation_code_unique"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation_detail", kwargs={"slug": self.slug})


class EmailDomainQuerySet(models.QuerySet):
    def match(self, email_or_domain: str) -> "EmailDomain | None":
        """The domain entry that owns this address: an exact match or a parent domain.

        `okf.kk.dk` matches `kk.dk`; `kk.dk.evil.com` and `evilkk.dk` do not.
        """
        domain = email_or_domain.rsplit("@", 1)[-1].strip().lower().rstrip(".")
        # Only letters, digits, dots and hyphens: PostgreSQL refuses NUL in a query.
        if "." not in domain or not all(ch.isalnum() or ch in ".-" for ch in domain):
            return None
        labels = domain.split(".")
        candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
        found = {
            d.domain: d for d in self.filter(domain__in=candidates).select_related("organisation")
        }
        # The most specific domain wins (a sub-domain may belong to another organisation).
        for candidate in candidates:
            if candidate in found:
                return found[candidate]
        return None


class EmailDomain(models.Model):
    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("For example kk.dk. Addresses at sub-domains (okf.kk.dk) also match."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("organisation"),
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Seen in real staff addresses or confirmed by two independent sources."),
    )

    objects = EmailDomainQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")), name="emaildomain_domain_lowercase"
            )
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class UserQuerySet(models.QuerySet):
    def members(self):
        """Active users with a verified primary e-mail: the people others can see."""
        return self.filter(is_active=True, emailaddress__verified=True).distinct()

    def for_directory(self):
        return self.members().select_related("organisation").order_by("name", "email")


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    class NotifyBy(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Daily digest")
        NEVER = "never", _("Never")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    bio = models.TextField(
        _("about me"),
        max_length=2000,
        blank=True,
        help_text=_("What you work on and what colleagues may ask you about."),
    )
    sectors = models.ManyToManyField(
        "komvidere.Sector",
        blank=True,
        related_name="members",
        verbose_name=_("sectors I work with"),
    )
    themes = models.ManyToManyField(
        "komvidere.Theme",
        blank=True,
        related_name="members",
        verbose_name=_("themes I work with"),
    )
    email_notifications = models.CharField(
        _("e-mail notifications"),
        max_length=20,
        choices=NotifyBy,
        default=NotifyBy.IMMEDIATELY,
        help_text=_("How often we e-mail you about activity you follow."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("May log in to the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    review_notifications_all = models.BooleanField(
        _("notify me of all reviews"),
        default=False,
        help_text=_(
            "Moderators: also be told about items awaiting review and new reports from "
            "every region, not only your own."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The interface language, also used for e-mails. Empty: the default."),
    )
    deleted_at = models.DateTimeField(
        _("deleted"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The member deleted the account: their personal data is erased."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        # What a deleted member wrote stays; bylines then name no one.
        if self.is_deleted:
            return str(_("a former member"))
        return self.name or self.email.split("@", 1)[0]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_language(self) -> str:
        """The language of the e-mails this member gets."""
        return self.language or settings.LANGUAGE_CODE

    def get_absolute_url(self):
        # A byline of a former member leads to their organisation, not to a missing page.
        if self.is_deleted:
            if self.organisation_id:
                return self.organisation.get_absolute_url()
            return reverse("accounts:organisation_list")
        return reverse("accounts:person_detail", kwargs={"pk": self.pk})

    @property
    def is_moderator(self) -> bool:
        """In the moderators' group; asked on every page (the header), so the answer is kept in
        the shared cache per member and forgotten when their groups change (accounts.apps)."""
        if self.is_superuser:
            return True
        known = getattr(self, "_is_moderator", None)
        if known is None:
            key = moderator_cache_key(self.pk)
            known = self.cached_state().get(key)
            if known is None:
                from django.core.cache import cache

                known = self.groups.filter(name=MODERATORS_GROUP).exists()
                cache.set(key, known, timeout=None)
            self._is_moderator = known
        return known

    def cached_state(self) -> dict:
        """What every page asks about the member (the moderator flag, the unread count), read
        from the shared cache in one call per request; missing entries are computed by their
        readers (is_moderator, accounts.notifications.unread_count)."""
        state = self.__dict__.get("_cached_state")
        if state is None:
            from komvidere import versions

            # The content versions come with it (komvidere.versions), and the member's own.
            state = versions.get_many_with_versions(
                [moderator_cache_key(self.pk), unread_cache_key(self.pk)],
                versions.member(self.pk),
            )
            self._cached_state = state
        return state


def moderator_cache_key(user_id) -> str:
    return f"accounts:is-moderator:{user_id}"


def unread_cache_key(user_id) -> str:
    return f"accounts:unread:{user_id}"


# --- Notifications ------------------------------------------------------------------------------
# Generic on purpose: accounts knows no content app, so a notification carries its own title and
# the path it points to. Content apps create them through accounts.notifications.notify().


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def digest_pending(self, since):
        """Not yet e-mailed, for users who want a daily digest, newer than `since`."""
        return self.filter(
            emailed_at__isnull=True,
            created_at__gte=since,
            recipient__is_active=True,
            recipient__email_notifications=User.NotifyBy.DAILY,
        )


class Notification(models.Model):
    """Something a member should know. The kinds are registered by the content apps
    (komvidere.registry), so this model knows no content app."""

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Who caused it. Never shown to the recipient (anonymous posts)."),
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, help_text=_("A path on this site."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "created_at"], name="notification_inbox_idx"
            ),
        ]

    def __str__(self):
        return f"{self.kind_label}: {self.title}"

    def get_absolute_url(self):
        return reverse("accounts:notification_open", kwargs={"pk": self.pk})

    @property
    def kind_label(self) -> str:
        return registry.notification_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class FeedToken(models.Model):
    """A member's secret key for Atom feed URLs (feed readers cannot log in).

    Kept in clear: it only reads content that is in this same database, and members need to
    see their feed addresses again. Creating a new key revokes the old one.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="feed_token", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("feed key")
        verbose_name_plural = _("feed keys")

    def __str__(self):
        return f"{self.user}"


class ClimatePlan(models.Model):
    """An organisation's adopted climate action plan (DK2020 in Denmark) and its targets."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="climate_plan",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("link to the plan"), max_length=500, blank=True)
    adopted_year = models.PositiveSmallIntegerField(
        _("year adopted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    reduction_2030_percent = models.PositiveSmallIntegerField(
        _("reduction target for 2030 (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The planned cut in greenhouse-gas emissions by 2030, against 1990."),
    )
    net_zero_year = models.PositiveSmallIntegerField(
        _("net-zero year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2020), MaxValueValidator(2100)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("climate plan")
        verbose_name_plural = _("climate plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reduction_2030_percent__isnull=True)
                | models.Q(reduction_2030_percent__lte=100),
                name="climateplan_reduction_percent_range",
            )
        ]

    def __str__(self):
        return str(self.organisation)


class PlanAction(models.Model):
    """One action of an organisation's climate plan, which cases may carry out."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="plan_actions",
        verbose_name=_("organisation"),
    )
    code = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("The plan's own number, e.g. T3.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    sector = models.ForeignKey(
        "komvidere.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("sector"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["organisation", "position", "code", "title"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="planaction_title_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~models.Q(code=""),
                name="planaction_code_unique_per_org",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class EmissionRecord(models.Model):
    """One line of a municipal greenhouse-gas account: a sector's emissions in one year."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="emissions",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    sector = models.ForeignKey(
        "komvidere.Sector",
        on_delete=models.PROTECT,
        related_name="emissions",
        verbose_name=_("sector"),
    )
    tonnes_co2e = models.DecimalField(
        _("tonnes CO2e"),
        max_digits=14,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source"), max_length=200)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Invented figures for demonstration. Always labelled as such."),
    )
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "-year", "sector"]
        verbose_name = _("emission figure")
        verbose_name_plural = _("emission figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sector"], name="emission_unique_per_year_sector"
            ),
            models.CheckConstraint(
                condition=models.Q(tonnes_co2e__gte=0), name="emission_tonnes_non_negative"
            ),
        ]
        indexes = [models.Index(fields=["year", "sector"], name="emission_year_sector_idx")]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.sector}"
