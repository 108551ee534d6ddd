"""factory_boy factories for the whole suite.

Users are verified members of Silkeborg Kommune by default, with the password `PASSWORD`;
`UserFactory(verified=False)` gives one whose address has not been confirmed yet.
"""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import MODERATORS_GROUP, EmailDomain, Organisation, Region, User

PASSWORD = "correct-horse-battery-9"


def silkeborg() -> Organisation:
    """Silkeborg Kommune, loaded by the data migration accounts/0002."""
    return Organisation.objects.get(slug="silkeborg")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testrup Kommune {n}")
    short_name = factory.Sequence(lambda n: f"Testrup {n}")
    slug = factory.Sequence(lambda n: f"testrup-{n}")
    kind = Organisation.Kind.MUNICIPALITY
    region = Region.SYDDANMARK


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailDomain

    domain = factory.Sequence(lambda n: f"testrup{n}.dk")
    organisation = factory.SubFactory(OrganisationFactory)
    verified = True


def _email_for(user) -> str:
    domain = (
        user.organisation.email_domains.order_by("domain").first() if user.organisation else None
    )
    return f"{user.email_local_part}@{domain.domain if domain else 'example.org'}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        email_local_part = factory.Sequence(lambda n: f"person{n}")

    organisation = factory.LazyFunction(silkeborg)
    email = factory.LazyAttribute(_email_for)
    name = factory.Faker("name", locale="da_DK")
    job_title = "Klimakoordinator"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """The allauth EmailAddress row: verified and primary unless told otherwise."""
        if create:
            verified = True if extracted is None else bool(extracted)
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=verified)


class ModeratorFactory(UserFactory):
    job_title = "Regional klimakoordinator"

    @factory.post_generation
    def moderator_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=MODERATORS_GROUP))


# ---- cases (issue 3) -----------------------------------------------------------------------------


def _now():
    from django.utils import timezone

    return timezone.now()


class CaseFactory(factory.django.DjangoModelFactory):
    """A published case by a new member of Silkeborg; pass `status=` for other states.

    `sectors`, `themes` and `tags` take lists: `CaseFactory(sectors=[energi], tags=["sol"])`.
    """

    class Meta:
        model = "cases.Case"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fjernvarme i Testrup {n}")
    slug = factory.Sequence(lambda n: f"fjernvarme-i-testrup-{n}")
    summary = "Omstilling fra naturgas til fjernvarme i et boligområde."
    organisation = factory.LazyFunction(silkeborg)
    author = factory.SubFactory(UserFactory)
    status = "published"
    published_at = factory.LazyFunction(_now)
    solution = "Vi byggede et nyt **fjernvarmenet**."

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


# ---- dilemmas and notifications (issue 4) --------------------------------------------------------


class DilemmaFactory(factory.django.DjangoModelFactory):
    """A public, open dilemma by a Silkeborg member, followed by nobody (services add follows)."""

    class Meta:
        model = "dilemmas.Dilemma"

    kind = "question"
    title = factory.Sequence(lambda n: f"Hvordan inddrager vi borgerne i vindmølleprojekt {n}?")
    body = "Vi skal finde placeringer til **vindmøller** og vil gerne inddrage borgerne tidligt."
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)


class ReplyFactory(factory.django.DjangoModelFactory):
    """A reply; note that reply_count is the services' job: use services.reply_create for that."""

    class Meta:
        model = "dilemmas.Reply"

    dilemma = factory.SubFactory(DilemmaFactory)
    author = factory.SubFactory(UserFactory)
    body = "Vi holdt borgermøder i lokalområdet, før vi pegede på arealer."


# ---- articles (issue 5) --------------------------------------------------------------------------


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published guide written by a new moderator; pass `status=` for other states.

    `sectors`, `themes` and `tags` take lists: `ArticleFactory(sectors=[energi], tags=["sol"])`.
    """

    class Meta:
        model = "articles.Article"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Sådan laver I et CO2-regnskab, del {n}")
    slug = factory.Sequence(lambda n: f"saadan-laver-i-et-co2-regnskab-del-{n}")
    summary = "En guide til kommunens CO2-regnskab sektor for sektor."
    body = "Start med **Energi- og CO2-regnskabet**, og suppler med egne tal."
    kind = "guide"
    source_organisation = "Energistyrelsen"
    author = factory.SubFactory(ModeratorFactory)
    status = "published"
    published_at = factory.LazyFunction(_now)

    @factory.post_generation
    def sectors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.sectors.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)
