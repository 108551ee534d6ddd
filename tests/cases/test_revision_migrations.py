"""The old revision logs of cases, articles, dilemmas and replies are copied into the
history (django-simple-history) by the migrations, and back again when they are reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

BEFORE = [
    ("cases", "0004_revision_history"),
    ("articles", "0003_revision_history"),
    ("dilemmas", "0003_revision_history"),
]
AFTER = [
    ("cases", "0006_drop_old_revision_log"),
    ("articles", "0005_drop_old_revision_log"),
    ("dilemmas", "0005_drop_old_revision_log"),
]


def _migrate(targets):
    """Migrate the three content apps to `targets`, in one direction, and return the models
    as they are then. Apps that do not depend on them (the users) stay at their latest state;
    later migrations that do (the tag merge) are unapplied with them and come back at the end."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    applied = set(loader.applied_migrations)
    tips = [
        node
        for node in applied
        if not any(child.key in applied for child in loader.graph.node_map[node].children)
    ]
    return loader.project_state(tips).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_revisions_become_history_and_come_back_on_reverse():
    apps = _migrate(BEFORE)
    Organisation = apps.get_model("accounts", "Organisation")
    User = apps.get_model("accounts", "User")
    Case = apps.get_model("cases", "Case")
    CaseRevision = apps.get_model("cases", "CaseRevision")
    Article = apps.get_model("articles", "Article")
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Dilemma = apps.get_model("dilemmas", "Dilemma")
    Reply = apps.get_model("dilemmas", "Reply")
    DilemmaRevision = apps.get_model("dilemmas", "DilemmaRevision")
    ReplyRevision = apps.get_model("dilemmas", "ReplyRevision")

    org = Organisation.objects.create(name="Migrationsby Kommune", short_name="M", slug="mby")
    editor = User.objects.create(email="redaktoer@mby.dk", organisation=org)
    case = Case.objects.create(
        title="Tredje titel", slug="tredje", summary="s", organisation=org, author=editor
    )
    start = timezone.now() - datetime.timedelta(days=3)
    for days, action, previous in [
        (0, "create", {}),
        (1, "edit", {"title": "Første titel"}),
        (2, "edit", {"title": "Anden titel", "tags": ["sol"]}),
    ]:
        CaseRevision.objects.create(
            case=case,
            editor=editor,
            edited_at=start + datetime.timedelta(days=days),
            action=action,
            changed_fields=sorted(previous),
            previous_values=previous,
        )
    article = Article.objects.create(
        title="Guide", slug="guide", summary="s", body="b", kind="guide", author=editor
    )
    ArticleRevision.objects.create(
        article=article, editor=editor, action="edit", changed_fields=["body"]
    )
    dilemma = Dilemma.objects.create(
        title="Nyt spørgsmål", body="Ny tekst", author=editor, organisation=org
    )
    DilemmaRevision.objects.create(
        dilemma=dilemma, editor=editor, previous_title="Gammelt", previous_body="Ny tekst"
    )
    reply = Reply.objects.create(dilemma=dilemma, author=editor, body="Rettet svar")
    ReplyRevision.objects.create(reply=reply, editor=editor, previous_body="Første svar")

    apps = _migrate(AFTER)
    history = apps.get_model("cases", "HistoricalCase").objects.filter(id=case.pk)
    records = list(history.order_by("history_date"))
    assert [r.history_change_reason for r in records] == ["create", "edit", "edit"]
    assert [r.history_type for r in records] == ["+", "~", "~"]
    # Each record is the case as it stood after that change, rebuilt from the current row.
    assert [r.title for r in records] == ["Første titel", "Anden titel", "Tredje titel"]
    assert records[2].previous_values == {"title": "Anden titel", "tags": ["sol"]}
    assert records[2].changed_fields == ["tags", "title"]
    assert {r.history_user_id for r in records} == {editor.pk}

    article_record = apps.get_model("articles", "HistoricalArticle").objects.get(id=article.pk)
    assert (article_record.history_change_reason, article_record.changed_fields) == (
        "edit",
        ["body"],
    )
    dilemma_record = apps.get_model("dilemmas", "HistoricalDilemma").objects.get(id=dilemma.pk)
    assert dilemma_record.previous_values == {"title": "Gammelt", "body": "Ny tekst"}
    assert dilemma_record.changed_fields == ["title"]  # the text itself did not change
    reply_record = apps.get_model("dilemmas", "HistoricalReply").objects.get(id=reply.pk)
    assert (reply_record.body, reply_record.previous_values) == (
        "Rettet svar",
        {"body": "Første svar"},
    )

    apps = _migrate(BEFORE)
    back = apps.get_model("cases", "CaseRevision").objects.filter(case_id=case.pk)
    assert sorted(back.values_list("action", flat=True)) == ["create", "edit", "edit"]
    assert apps.get_model("dilemmas", "ReplyRevision").objects.get().previous_body == (
        "Første svar"
    )
    assert not apps.get_model("cases", "HistoricalCase").objects.exists()


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Whatever the test left, the schema ends at the latest migrations for the tests after."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
