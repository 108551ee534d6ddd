"""Tags are case-insensitive with one canonical form; the migration merged old duplicates."""

import importlib

import pytest
from django.apps import apps
from taggit.models import Tag

from cases.models import TaggedCase
from dilemmas.models import TaggedDilemma
from tests.factories import CaseFactory, DilemmaFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("komvidere.migrations.0009_tags_case_insensitive")


def test_a_tag_typed_in_another_case_reuses_the_first_spelling():
    first = CaseFactory(tags=["DK2020"])
    second = CaseFactory()
    second.tags.set(["dk2020", "Varmeplan"])
    dilemma = DilemmaFactory()
    dilemma.tags.set(["Dk2020"])

    assert Tag.objects.filter(name__iexact="dk2020").count() == 1
    tag = Tag.objects.get(name__iexact="dk2020")
    assert tag.name == "DK2020"
    assert {t.name for t in second.tags.all()} == {"DK2020", "Varmeplan"}
    assert list(first.tags.all()) == [tag] == list(dilemma.tags.all())


def test_the_migration_merges_duplicates_into_the_most_used_spelling():
    upper = Tag.objects.create(name="DK2020", slug="dk2020")
    lower = Tag.objects.create(name="dk2020", slug="dk2020-1")
    mixed = Tag.objects.create(name="Dk2020", slug="dk2020-2")
    other = Tag.objects.create(name="Skybrud", slug="skybrud")
    both = CaseFactory()
    only_lower = CaseFactory()
    again_lower = CaseFactory()
    dilemma = DilemmaFactory()
    TaggedCase.objects.create(tag=upper, content_object=both)
    TaggedCase.objects.create(tag=lower, content_object=both)
    TaggedCase.objects.create(tag=lower, content_object=only_lower)
    TaggedCase.objects.create(tag=lower, content_object=again_lower)
    TaggedCase.objects.create(tag=other, content_object=again_lower)
    TaggedDilemma.objects.create(tag=mixed, content_object=dilemma)

    migration.merge_case_duplicates(apps, None)

    # "dk2020" was used most (three items): it is the one that stays.
    assert list(Tag.objects.filter(name__iexact="dk2020")) == [lower]
    assert Tag.objects.filter(pk=other.pk).exists()
    assert TaggedCase.objects.filter(content_object=both).count() == 1  # never twice
    assert set(TaggedCase.objects.filter(tag=lower).values_list("content_object", flat=True)) == {
        both.pk,
        only_lower.pk,
        again_lower.pk,
    }
    assert list(TaggedDilemma.objects.values_list("tag", flat=True)) == [lower.pk]

    migration.merge_case_duplicates(apps, None)  # running it again changes nothing
    assert Tag.objects.count() == 2
