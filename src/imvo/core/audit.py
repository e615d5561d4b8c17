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
    object_repr: str
    changes: list[Change] = field(default_factory=list)


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def audit_entries(instance: models.Model) -> list[AuditEntry]:
    """The audit trail of one record, oldest first, with old and new value per changed field."""
    history = list(instance.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
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
                object_repr=str(record),
                changes=changes,
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
