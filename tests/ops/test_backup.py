"""Backup and restore (README, Operations): pg_dump plus the media files, restored into a fresh
database and a fresh media directory, finds the content again. PostgreSQL only.

The test commits its rows (pg_dump is another process), so it is transactional; with
serialized_rollback the rows the data migrations seeded are put back for the tests after it.
"""

import os
import shutil
import subprocess
import tarfile

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from dilemmas import services
from dilemmas.models import Dilemma
from tests.factories import UserFactory

TITLE = "Backup-prøve: hvordan gendanner vi en database?"


def _pg_env(settings_dict) -> tuple[dict, list[str]]:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    args = [
        "-h",
        settings_dict.get("HOST") or "127.0.0.1",
        "-p",
        str(settings_dict.get("PORT") or 5432),
    ]
    args += ["-U", settings_dict.get("USER") or "postgres"]
    return env, args


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump: run with DATABASE_URL=postgres://...")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_and_media_restore_into_a_fresh_database(postgres_only, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = UserFactory(name="Backup Bente", email_local_part="bente")
    dilemma = services.dilemma_create(
        author=member, kind="question", title=TITLE, body="Vi tager **pg_dump** hver nat."
    )
    stored = default_storage.save("attachments/plan.txt", ContentFile(b"klimaplan 2030\n"))

    # Back up: the database (custom format) and the media directory.
    settings_dict = connection.settings_dict
    env, args = _pg_env(settings_dict)
    dump = tmp_path / "komvidere.dump"
    subprocess.run(  # noqa: S603 (fixed tools, our own test database)
        [
            shutil.which("pg_dump"),
            *args,
            "-Fc",
            "--no-owner",
            "-f",
            str(dump),
            settings_dict["NAME"],
        ],
        env=env,
        check=True,
        timeout=120,
    )
    media_archive = tmp_path / "media.tar.gz"
    with tarfile.open(media_archive, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    # Restore into a fresh database and a fresh media directory.
    fresh = f"{settings_dict['NAME']}_restore"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(  # noqa: S603 (fixed tools, our own test database)
            [
                shutil.which("pg_restore"),
                *args,
                "--no-owner",
                "--exit-on-error",
                "-d",
                fresh,
                str(dump),
            ],
            env=env,
            check=True,
            timeout=120,
        )
        restored_media = tmp_path / "restored"
        with tarfile.open(media_archive) as archive:
            archive.extractall(restored_media, filter="data")

        conninfo = {
            "host": settings_dict.get("HOST") or "127.0.0.1",
            "port": settings_dict.get("PORT") or 5432,
            "user": settings_dict.get("USER") or "postgres",
            "password": settings_dict.get("PASSWORD") or None,
            "dbname": fresh,
        }
        with psycopg.connect(**conninfo) as restored:
            row = restored.execute(
                f"SELECT d.title, u.email FROM {Dilemma._meta.db_table} d "  # noqa: S608
                "JOIN accounts_user u ON u.id = d.author_id WHERE d.id = %s",
                [dilemma.pk],
            ).fetchone()
            migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        assert row == (TITLE, member.email)
        assert migrations > 0
        assert (restored_media / "media" / stored).read_bytes() == b"klimaplan 2030\n"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
