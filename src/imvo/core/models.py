"""Shared model building blocks: citations, partial dates and bilingual text."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from imvo.core.dates import PartialDate, Precision

PRECISION_CHOICES = [
    (Precision.DAY.value, _("day")),
    (Precision.MONTH.value, _("month")),
    (Precision.YEAR.value, _("year")),
]


def active_language() -> str:
    """'en' when English is active, else 'nl' (Dutch is the reference language)."""
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


def localized(obj: object, field: str) -> str:
    """The Dutch or English value of ``<field>_nl``/``<field>_en`` for the active language.

    Dutch is the reference text: English falls back to Dutch where no translation is stored.
    """
    dutch = getattr(obj, f"{field}_nl", "") or ""
    if active_language() == "en":
        return getattr(obj, f"{field}_en", "") or dutch
    return dutch


def bilingual(field: str) -> property:
    """A read-only attribute with the Dutch or English value of ``<field>_nl``/``<field>_en``."""
    return property(lambda self: localized(self, field), doc=f"The {field} in the active language.")


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
