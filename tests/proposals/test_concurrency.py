"""Racing corrections of one phase record, for real: six sessions at once on the embedded
SQLite database (in WAL mode with immediate transactions, see tests/core/test_sqlite_writers.py).

Six editors propose a correction of the same phase record, each based on the version they saw;
six approvals then run at the same moment, each in its own thread and connection, through the
web page. Exactly one is written; the five others get the stale-record message (a redirect
back to the proposal, which is marked out of date), none a 500, and nothing is overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_imvo

SESSIONS = 6

RACE = f"""
import json, threading
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from imvo.accounts.services import membership_create
from imvo.core.audit import Actor
from imvo.organisations.models import Organisation
from imvo.proposals.models import Proposal
from imvo.proposals.selectors import record_version
from imvo.proposals.services import proposal_submit
from imvo.trajectories.models import PhaseRecord, Trajectory

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
SESSIONS = {SESSIONS}
textile = Trajectory.objects.get(slug="textile")
record = PhaseRecord.objects.current().get(key="textile-negotiation")
version = record_version(record)
User = get_user_model()

def person(name, **membership):
    user = User.objects.create_user(name, password="x-pass-123!")
    membership_create(data={{"user": user, **membership}}, actor=Actor("race set-up"))
    return user

approver = person("race-ser", role="ser_secretariat", organisation=Organisation.objects.get(key="ser"))
device = TOTPDevice.objects.create(user=approver, name="race", confirmed=True)
phases = ["dialogue", "exploration", "stopped", "dialogue", "exploration", "stopped"]
proposals = []
for n in range(SESSIONS):
    editor = person(f"race-editor-{{n}}", role="sector_editor", trajectory=textile)
    proposals.append(proposal_submit(
        trajectory=textile, kind="record_correction", payload={{"values": {{"phase": phases[n]}}}},
        record=record, based_on=version, actor=Actor(f"fase {{phases[n]}}", editor),
    ).pk)
connection.close()
start = threading.Barrier(SESSIONS)
answers, errors = [], []

def approve(pk):
    try:
        client = Client()
        client.force_login(approver)  # then the second factor, as tests.conftest.login_verified
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        start.wait()
        response = client.post(f"/redactie/voorstellen/{{pk}}/", {{"decision": "approve", "decision_reason": "akkoord"}})
        answers.append(response.status_code)
    except Exception as exc:
        errors.append(f"{{type(exc).__name__}}: {{exc}}")
    finally:
        connection.close()

threads = [threading.Thread(target=approve, args=(pk,)) for pk in proposals]
for t in threads:
    t.start()
for t in threads:
    t.join()
statuses = sorted(Proposal.objects.filter(pk__in=proposals).values_list("status", flat=True))
print(json.dumps({{
    "answers": sorted(answers),
    "errors": errors,
    "statuses": statuses,
    "rows": PhaseRecord.objects.filter(key="textile-negotiation").count(),
    "current": list(PhaseRecord.objects.current().filter(key="textile-negotiation").values_list("phase", flat=True)),
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


def test_six_racing_approvals_of_one_record_give_one_change_and_five_stale_messages(
    sqlite_copy,
):
    result = run_imvo("shell", "-c", RACE, env=sqlite_copy)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["answers"] == [302] * SESSIONS  # never a 500
    assert outcome["statuses"] == ["approved"] + ["stale"] * (SESSIONS - 1)
    assert outcome["rows"] == 2  # the record and the one correction
    assert len(outcome["current"]) == 1
