"""Reads of sources: the list every fact cites, with what cites each, per kind of record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from imvo.sources.models import Source

#: Every kind of record that cites a source, in the order the sources page names them, with
#: its words. A kind missing here is still counted (under its verbose name; see
#: :func:`citing_kinds`), and a test keeps this table complete.
CITING_KINDS: dict[str, Callable[[int], str]] = {
    "trajectories.phaserecord": lambda n: ngettext(
        "%(count)d phase record", "%(count)d phase records", n
    ),
    "trajectories.event": lambda n: ngettext("%(count)d event", "%(count)d events", n),
    "trajectories.participation": lambda n: ngettext(
        "%(count)d participation", "%(count)d participations", n
    ),
    "agreements.agreement": lambda n: ngettext("%(count)d agreement", "%(count)d agreements", n),
    "initiatives.initiative": lambda n: ngettext(
        "%(count)d initiative", "%(count)d initiatives", n
    ),
    "trajectories.governmentaction": lambda n: ngettext(
        "%(count)d government action", "%(count)d government actions", n
    ),
    "risks.themeadvice": lambda n: ngettext(
        "%(count)d advisory role on a theme", "%(count)d advisory roles on themes", n
    ),
    "agreements.targetversion": lambda n: ngettext(
        "%(count)d target version", "%(count)d target versions", n
    ),
    "agreements.target": lambda n: ngettext("%(count)d target", "%(count)d targets", n),
    "agreements.convention": lambda n: ngettext(
        "%(count)d counting convention", "%(count)d counting conventions", n
    ),
    "trajectories.trajectory": lambda n: ngettext(
        "%(count)d trajectory", "%(count)d trajectories", n
    ),
    "organisations.organisation": lambda n: ngettext(
        "%(count)d organisation", "%(count)d organisations", n
    ),
    "sectors.sector": lambda n: ngettext("%(count)d sector", "%(count)d sectors", n),
    "risks.theme": lambda n: ngettext("%(count)d theme", "%(count)d themes", n),
    "parliament.commitment": lambda n: ngettext(
        "%(count)d commitment or motion", "%(count)d commitments or motions", n
    ),
}


@dataclass(frozen=True)
class CitedBy:
    """How many records of one kind cite a source, in words: '3 faseregistraties'."""

    kind: str  # the model's label, e.g. "trajectories.phaserecord"
    count: int
    text: str


def citing_kinds() -> list[ForeignObjectRel]:
    """Every relation by which a record cites a :class:`Source` (each model's ``source``
    field; the audit history's copies are hidden relations and left out), in the order of
    :data:`CITING_KINDS`, unknown kinds last by name."""
    relations = [r for r in Source._meta.related_objects if r.field.name == "source"]
    order = list(CITING_KINDS)

    def position(relation: ForeignObjectRel) -> tuple[int, str]:
        label = relation.related_model._meta.label_lower
        return (order.index(label) if label in order else len(order), label)

    return sorted(relations, key=position)


def _words(relation: ForeignObjectRel, count: int) -> str:
    meta = relation.related_model._meta
    words = CITING_KINDS.get(meta.label_lower)
    if words is None:
        return f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
    return words(count) % {"count": count}


def source_list() -> list[Source]:
    """Every source, oldest first (undated ones first, on every database), in one query.

    Each source carries ``cited_by``: a :class:`CitedBy` for every kind of record that cites
    it (every version of a bitemporal record counts: a correction cites its own source),
    kinds that do not cite it left out; and ``cited_total``."""
    relations = citing_kinds()
    counts = {
        f"cited_{index}": Coalesce(
            Subquery(
                relation.related_model._base_manager.filter(source=OuterRef("pk"))
                .order_by()
                .values("source")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )
        for index, relation in enumerate(relations)
    }
    sources = list(
        Source.objects.annotate(**counts).order_by(F("date").asc(nulls_first=True), "title")
    )
    for source in sources:
        source.cited_by = [
            CitedBy(relation.related_model._meta.label_lower, n, _words(relation, n))
            for index, relation in enumerate(relations)
            if (n := getattr(source, f"cited_{index}"))
        ]
        source.cited_total = sum(c.count for c in source.cited_by)
    return sources
