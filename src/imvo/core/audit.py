"""The audit trail: who changed what, when, from which value to which, and why.

Every audited model carries ``history = HistoricalRecords(...)`` (django-simple-history),
which writes a historical row on each create, update and delete through the ORM, whatever
the path (admin, CLI, services, API). Services name the actor and the reason with
:func:`audited_save`; the admin asks for a reason on every change.

Every write also changes the *data version* (:func:`data_changed`) in the same transaction:
each historical row does (:func:`history_written`, connected in ``CoreConfig.ready``, so
whatever path writes an audited record), as do :func:`audited_set_m2m` (not every relation
keeps a history of its own) and every ``migrate`` (:func:`migrated`). The page cache
(:mod:`imvo.core.pagecache`) keys pages on it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

SYSTEM_USERNAME = "imvo-system"


@dataclass(frozen=True)
class Actor:
    """Who writes, and why. ``user`` None means the system account."""

    reason: str
    user: AbstractBaseUser | None = None


def system_user() -> AbstractBaseUser:
    """The account that reference-data loads and other unattended writes are attributed to."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def attach_actor(instance: models.Model, actor: Actor) -> None:
    """Name who writes and why on ``instance``: its next history row records them."""
    instance._history_user = actor.user or system_user()  # type: ignore[attr-defined]
    instance._change_reason = actor.reason  # type: ignore[attr-defined]


def audited_save(instance: models.Model, *, actor: Actor) -> models.Model:
    """Validate and save ``instance``, recording actor and reason in its history."""
    instance.full_clean()
    attach_actor(instance, actor)
    instance.save()
    return instance


def audited_set_m2m(instance: models.Model, field_name: str, values: Any, *, actor: Actor) -> None:
    """Replace a many-to-many relation; the history row carries actor and reason."""
    attach_actor(instance, actor)
    getattr(instance, field_name).set(values)
    data_changed(using=instance._state.db or DEFAULT_DB_ALIAS)


def data_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the data version a fresh random token, in the current transaction (if any).

    Called after the write it stands for, so that nobody can read the new version with the
    old data (reading the old version with the new data only stores a page under a version
    that nobody asks for any more). Concurrent writers wait for each other on this one row
    until they commit.
    """
    from imvo.core.models import DataVersion

    values = {"token": secrets.token_hex(16), "changed_at": timezone.now()}
    rows = DataVersion.objects.using(using)
    if not rows.filter(pk=DataVersion.ROW).update(**values):
        # The row comes with the migration; only a flushed database (tests) lacks it.
        rows.create(pk=DataVersion.ROW, **values)


def write_lock(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Take the data version's row lock now, at the start of a write transaction.

    Every audited write updates that one row (:func:`data_changed`), so writers wait for each
    other on it anyway; taking it first, before any other row is locked, keeps them from
    waiting on each other in a cycle (PostgreSQL: "deadlock detected" between a writer holding
    the version and one holding a key-share lock of a trajectory). A no-op outside a
    transaction and on SQLite, whose immediate transactions already serialise writers."""
    from imvo.core.models import DataVersion

    if connections[using].in_atomic_block:
        DataVersion.objects.using(using).select_for_update().filter(pk=DataVersion.ROW).first()


def history_written(*, using: str | None = None, **kwargs: Any) -> None:
    """Receiver of simple-history's ``post_create_historical_record``: a record was written."""
    data_changed(using=using or DEFAULT_DB_ALIAS)


def migrated(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Receiver of ``post_migrate`` (for the core app): a migration may have changed data."""
    from imvo.core.models import DataVersion

    connection = connections[using]
    if DataVersion._meta.db_table in connection.introspection.table_names():
        data_changed(using=using)


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    reason: str
    changes: list[Change] = field(default_factory=list)
    #: The history row the entry is read from (its text costs a query per related record).
    row: Any = field(default=None, repr=False, compare=False)

    @property
    def object_repr(self) -> str:
        """The record as it was written, as text."""
        return str(self.row) if self.row is not None else ""


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def audit_entries(instance: models.Model) -> list[AuditEntry]:
    """The audit trail of one record, oldest first, with old and new value per changed field."""
    return audit_trails([instance]).get(instance.pk, [])


def audit_trails(instances: Sequence[models.Model]) -> dict[Any, list[AuditEntry]]:
    """The audit trails of records of one model, by primary key, in a fixed number of
    queries whatever their number (the history rows with their users and foreign keys)."""
    if not instances:
        return {}
    history_model = instances[0].history.model  # type: ignore[attr-defined]
    related = [
        f.name for f in history_model._meta.fields if f.many_to_one and f.name != "history_relation"
    ]
    rows = (
        history_model.objects.filter(id__in=[i.pk for i in instances])
        .select_related(*related)
        .order_by("id", "history_date", "history_id")
    )
    by_record: dict[Any, list[Any]] = {}
    for row in rows:
        by_record.setdefault(row.id, []).append(row)
    return {pk: _entries(history) for pk, history in by_record.items()}


def _entries(history: list[Any]) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous = None
    for record in history:
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [Change(c.field, c.old, c.new) for c in delta.changes]
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "",
                action=_ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
                row=record,
            )
        )
        previous = record
    return entries


@dataclass(frozen=True)
class AuditRow:
    """One audited write anywhere in the database, for reports and the ``imvo audit`` command."""

    when: datetime
    who: str
    model: str  # app_label.model
    object_id: Any
    object_repr: str
    action: str
    reason: str
    changes: list[Change]


def audited_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    ]


def audit_log(
    *,
    since: datetime | None = None,
    username: str | None = None,
    model_label: str | None = None,
    limit: int = 100,
) -> list[AuditRow]:
    """The latest audited writes across all models, newest first, with old and new values."""
    rows: list[AuditRow] = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        history = model.history.select_related("history_user").order_by("-history_date")  # type: ignore[attr-defined]
        if since is not None:
            history = history.filter(history_date__gte=since)
        if username is not None:
            history = history.filter(history_user__username=username)
        for record in history[:limit]:
            previous = record.prev_record
            changes = []
            if previous is not None and record.history_type == "~":
                changes = [
                    Change(c.field, c.old, c.new) for c in record.diff_against(previous).changes
                ]
            rows.append(
                AuditRow(
                    when=record.history_date,
                    who=record.history_user.get_username() if record.history_user else "",
                    model=model._meta.label_lower,
                    object_id=getattr(record, model._meta.pk.attname),
                    object_repr=str(record.instance),
                    action=_ACTIONS.get(record.history_type, record.history_type),
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:limit]
