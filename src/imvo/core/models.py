"""Shared model building blocks: citations and partial dates (bilingual fields: core.i18n)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from imvo.core.dates import PartialDate, Precision

PRECISION_CHOICES = [
    (Precision.DAY.value, _("day")),
    (Precision.MONTH.value, _("month")),
    (Precision.YEAR.value, _("year")),
]


class Cited(models.Model):
    """A fact that cites the document it comes from (no figure without provenance)."""

    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("source"),
    )
    source_locator = models.CharField(
        _("location in source"),
        max_length=200,
        blank=True,
        help_text=_("Section, page or passage of the source, e.g. '§2, textile'."),
    )

    class Meta:
        abstract = True


class PartialDateFields:
    """Read a (date, precision) pair of fields as a :class:`PartialDate`."""

    @staticmethod
    def read(day: object, precision: str) -> PartialDate | None:
        if day is None:
            return None
        return PartialDate.of(day, precision)  # type: ignore[arg-type]
