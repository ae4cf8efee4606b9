"""Backups restore into an empty database with nothing lost (see deploy/README.md)."""

import io
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import servers
from tests.admin_forms import change_form_data, unrendered

pytestmark = pytest.mark.slow

# The portable backup, as deploy/README.md documents it.
DUMP_ARGS = [
    "--all", "--natural-foreign", "--natural-primary",
    "--exclude", "contenttypes", "--exclude", "auth.permission", "--exclude", "sessions",
    "--exclude", "axes", "--exclude", "admin.logentry",
]  # fmt: skip


def dump():
    out = io.StringIO()
    call_command("dumpdata", *DUMP_ARGS, "--indent", "1", stdout=out)
    return out.getvalue()


def to_the_millisecond(backup):
    # Django's JSON keeps times to the millisecond: a time under a millisecond past the
    # second is written "…:10.000Z" and comes back as "…:10Z", the same instant.
    return backup.replace('.000Z"', 'Z"')


@pytest.mark.django_db(transaction=True)
def test_a_portable_backup_restores_into_an_empty_database(admin_client, launch_content, tmp_path):
    # History and users are part of what must survive.
    url = reverse("admin:articles_article_change", args=[launch_content[0].pk])
    admin_client.post(url, change_form_data(unrendered(admin_client, url)))
    before = dump()
    backup = tmp_path / "backup.json"
    backup.write_text(before)

    call_command("flush", "--no-input", verbosity=0)
    assert "night-calf-cramps" not in dump()
    call_command("loaddata", str(backup), verbosity=0)

    assert dump() == to_the_millisecond(before)


PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def manage(*args, database):
    env = servers.production_env("/tmp", DATABASE_URL=database)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=servers.PROJECT, env=env,
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip


def test_pg_dump_restores_into_an_empty_database(tmp_path):
    """Runs against the machine's PostgreSQL whatever database the suite itself uses."""
    source, target = (f"cramps_backup_{name}_{uuid.uuid4().hex[:8]}" for name in ("a", "b"))
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
        for name in (source, target):
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = "postgres://postgres@127.0.0.1:5432/{}"
        manage("migrate", "-v0", database=url.format(source))
        manage("seed_if_empty", "-v0", database=url.format(source))
        archive = tmp_path / "cramps.dump"
        pg = {**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres"}
        subprocess.run(["pg_dump", "--format=custom", f"--file={archive}", source], env=pg,
                       check=True)  # fmt: skip
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(archive)],
                       env=pg, check=True)  # fmt: skip

        def contents(name):
            return manage("dumpdata", *DUMP_ARGS, "--indent", "1", database=url.format(name))

        restored = contents(target)
        assert restored == contents(source)
        assert "night-calf-cramps" in restored
    finally:
        with psycopg.connect(**PG, dbname="postgres", autocommit=True) as admin:
            for name in (source, target):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
