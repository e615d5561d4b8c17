"""The shared write helpers behind every ``<entity>_<action>`` service.

Every write of a record (admin, reference loader, commands, later the editors and the API) goes
through a domain service, and every domain service through these three helpers, so that
validation (``full_clean``), the audit trail (who, when, old, new, why) and the rules for
deleting are the same whatever the channel:

- :func:`model_create` validates and saves a new record and sets its many-to-many relations;
- :func:`model_update` changes only what differs, saves once, and says whether anything
  changed (a second identical write leaves no history row);
- :func:`model_delete` refuses, with the reason, to delete a record that other records refer
  to, so that a delete can never silently empty another record's relations.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.audit import Actor, attach_actor, audited_save, audited_set_m2m
from imvo.core.errors import Conflict

M = TypeVar("M", bound=models.Model)
Data = Mapping[str, Any]

#: How many dependent records a refused delete names before it says "and N more".
NAMED_DEPENDENTS = 5


def entity_name(model: type[models.Model]) -> str:
    """``ThemeAdvice`` → ``theme_advice``: the keyword its services take a record by."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def _split(model: type[models.Model], data: Data) -> tuple[dict[str, Any], dict[str, Any]]:
    """Concrete field values and many-to-many values of ``data``; unknown names are an error."""
    m2m_names = {f.name for f in model._meta.many_to_many}
    names = {f.name for f in model._meta.concrete_fields} | {
        f.attname for f in model._meta.concrete_fields
    }
    unknown = set(data) - names - m2m_names
    if unknown:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
    fields = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return fields, m2m


def _pks(values: Iterable[Any]) -> set[Any]:
    return {v.pk if isinstance(v, models.Model) else v for v in values}


@transaction.atomic
def model_create(*, model: type[M], data: Data, actor: Actor) -> M:
    """Validate and save a new ``model`` record from ``data`` (many-to-many values included)."""
    fields, m2m = _split(model, data)
    instance = model(**fields)
    audited_save(instance, actor=actor)
    for name, values in m2m.items():
        audited_set_m2m(instance, name, list(values), actor=actor)
    return instance


@transaction.atomic
def model_update(*, instance: M, data: Data, actor: Actor) -> tuple[M, bool]:
    """Apply the values of ``data`` that differ; return the record and whether it changed."""
    fields, m2m = _split(type(instance), data)
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed:
        audited_save(instance, actor=actor)
    for name, values in m2m.items():
        values = list(values)
        if set(getattr(instance, name).values_list("pk", flat=True)) != _pks(values):
            audited_set_m2m(instance, name, values, actor=actor)
            changed.append(name)
    return instance, bool(changed)


def model_dependents(instance: models.Model) -> list[tuple[str, list[str]]]:
    """The records that refer to ``instance``, per kind: (verbose name plural, record names)."""
    found = []
    for relation in instance._meta.related_objects:
        related = relation.related_model
        if related.__name__.startswith("Historical") or related._meta.auto_created:
            continue
        if relation.many_to_many:
            queryset = getattr(instance, relation.get_accessor_name()).all()
        else:
            queryset = related._default_manager.filter(**{relation.field.name: instance})
        names = [str(record) for record in queryset[: NAMED_DEPENDENTS + 1]]
        if names:
            found.append((str(related._meta.verbose_name_plural), names))
    return found


def describe_dependents(dependents: list[tuple[str, list[str]]]) -> str:
    parts = []
    for kind, names in dependents:
        shown = ", ".join(names[:NAMED_DEPENDENTS])
        more = _(" and more") if len(names) > NAMED_DEPENDENTS else ""
        parts.append(f"{kind}: {shown}{more}")
    return "; ".join(parts)


@transaction.atomic
def model_delete(*, instance: models.Model, actor: Actor) -> None:
    """Delete ``instance`` with an audit row, or refuse when other records refer to it."""
    dependents = model_dependents(instance)
    if dependents:
        raise Conflict(
            _("%(record)s cannot be deleted: other records refer to it (%(dependents)s).")
            % {"record": instance, "dependents": describe_dependents(dependents)},
            code="has_dependents",
        )
    attach_actor(instance, actor)
    instance.delete()


@transaction.atomic
def model_supersede(
    *, instance: M, data: Data, actor: Actor, recorded_at: dt.datetime | None = None
) -> M:
    """Correct a bitemporal record without overwriting it (see :class:`imvo.core.models.Known`).

    The record keeps its content and gets ``superseded_at``; a new record with the changed
    values (and the same many-to-many relations unless ``data`` gives new ones) ``supersedes``
    it. ``recorded_at`` is when the correction became known: the publication date of its source
    for reference data, now for a person's entry.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.superseded_at is not None:
        raise Conflict(
            _("This record was already corrected; correct the current record."),
            code="superseded",
        )
    when = recorded_at or timezone.now()
    if when < current.recorded_at:
        raise Conflict(
            _("A correction cannot be known before the record it corrects (%(when)s).")
            % {"when": current.recorded_at.isoformat()},
            code="correction_before_record",
            field="recorded_at",
        )
    fields, m2m = _split(model, data)
    bookkeeping = {"id", "recorded_at", "superseded_at", "supersedes"}
    values = {
        f.attname: getattr(current, f.attname)
        for f in model._meta.concrete_fields
        if not {f.name, f.attname} & (bookkeeping | set(fields))
    }
    relations = {f.name: list(getattr(current, f.name).all()) for f in model._meta.many_to_many}
    current.superseded_at = when
    audited_save(current, actor=Actor(f"Superseded: {actor.reason}", actor.user))
    correction = model(**{**values, **fields}, recorded_at=when, supersedes=current)
    audited_save(correction, actor=actor)
    for name, related in {**relations, **m2m}.items():
        audited_set_m2m(correction, name, list(related), actor=actor)
    return correction


def model_differs(instance: models.Model, data: Data) -> bool:
    """Whether writing ``data`` would change ``instance`` (fields or many-to-many)."""
    fields, m2m = _split(type(instance), data)
    if any(getattr(instance, name) != value for name, value in fields.items()):
        return True
    return any(
        set(getattr(instance, name).values_list("pk", flat=True)) != _pks(list(values))
        for name, values in m2m.items()
    )


@transaction.atomic
def model_correct(
    *, instance: M, data: Data, actor: Actor, recorded_at: dt.datetime | None = None
) -> tuple[M, bool]:
    """The update of a bitemporal record: a superseding correction when anything differs."""
    if not model_differs(instance, data):
        return instance, False
    return model_supersede(instance=instance, data=data, actor=actor, recorded_at=recorded_at), True


@transaction.atomic
def model_retract(*, instance: models.Model, actor: Actor) -> None:
    """The delete of a bitemporal record: it stops being current, and stays in the history of
    what was known before (``superseded_at`` without a successor)."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.superseded_at is not None:
        raise Conflict(_("This record was already corrected or retracted."), code="superseded")
    current.superseded_at = timezone.now()
    audited_save(current, actor=actor)
