"""Many writers at once on the embedded SQLite database: none fails with "database is locked".

With SQLite's defaults (a rollback journal, deferred transactions, a 5 s busy timeout) most of
ten concurrent writers failed at once: a transaction that read first (validation does) could
not take the write lock when another held it, and SQLite gives up on such a transaction
without waiting. The settings now open SQLite in WAL mode with immediate transactions and a
busy timeout (``imvo.conf.settings._sqlite_options``), so writers queue instead.

The writers run in a separate ``imvo shell`` on a copy of an initialised SQLite file (the
test database is in memory): ten threads, each with its own connection, each creating
sources and changing one shared source through the services at the same moment.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_imvo

THREADS = 10
WRITES = 5

WRITERS = f"""
import json, threading, traceback
from django.db import connection, connections
from imvo.core.audit import Actor
from imvo.sources.models import Source
from imvo.sources.services import source_create, source_update

THREADS, WRITES = {THREADS}, {WRITES}
shared = source_create(
    data={{"key": "shared-by-writers", "kind": "other", "title": "Shared"}},
    actor=Actor(reason="set up"),
)
connection.close()
start = threading.Barrier(THREADS)
errors = []

def write(number):
    try:
        start.wait()
        for i in range(WRITES):
            try:
                source_create(
                    data={{"key": f"writer-{{number}}-{{i}}", "kind": "other", "title": f"W {{number}}/{{i}}"}},
                    actor=Actor(reason=f"writer {{number}}"),
                )
                source_update(
                    source=Source.objects.get(key="shared-by-writers"),
                    data={{"note": f"writer {{number}}, write {{i}}"}},
                    actor=Actor(reason=f"writer {{number}}"),
                )
            except Exception as exc:
                errors.append(f"{{type(exc).__name__}}: {{exc}}")
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
History = Source.history.model
print(json.dumps({{
    "errors": errors,
    "created": Source.objects.filter(key__startswith="writer-").count(),
    "created_history": History.objects.filter(
        key__startswith="writer-", history_type="+", history_change_reason__startswith="writer "
    ).count(),
    "updates_history": History.objects.filter(
        key="shared-by-writers", history_type="~", history_change_reason__startswith="writer "
    ).count(),
    "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
}}))
"""


@pytest.fixture
def sqlite_copy(cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment of a private copy of the initialised SQLite database."""
    source = sqlite3.connect(Path(cli_env["IMVO_VAR_DIR"]) / "imvo.sqlite3")
    target = sqlite3.connect(tmp_path / "imvo.sqlite3")
    with target:
        source.backup(target)
    source.close()
    target.close()
    return {**cli_env, "IMVO_VAR_DIR": str(tmp_path)}


def test_ten_concurrent_writers_through_the_services_all_succeed_and_are_audited(sqlite_copy):
    result = run_imvo("shell", "-c", WRITERS, env=sqlite_copy)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["created"] == THREADS * WRITES
    assert outcome["created_history"] == THREADS * WRITES
    assert outcome["updates_history"] == THREADS * WRITES
    assert outcome["journal_mode"] == "wal"


def test_sqlite_urls_get_the_options_for_many_writers_and_postgres_urls_do_not(monkeypatch):
    from imvo.conf.settings import _database

    monkeypatch.delenv("IMVO_SQLITE_BUSY_TIMEOUT", raising=False)
    sqlite = _database("sqlite:////tmp/x.sqlite3", 0)
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert sqlite["OPTIONS"]["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    assert "PRAGMA synchronous=NORMAL" in sqlite["OPTIONS"]["init_command"]
    postgres = _database("postgres://u@h:5432/db", 0)
    assert not {"transaction_mode", "init_command", "timeout"} & set(postgres.get("OPTIONS", {}))
    monkeypatch.setenv("IMVO_SQLITE_BUSY_TIMEOUT", "3")
    assert _database("sqlite:////tmp/x.sqlite3", 0)["OPTIONS"]["timeout"] == 3
