from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import Cited


class Sector(Cited):
    """A sector or sub-sector of the Dutch economy (e.g. financial sector → banks)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent sector"),
    )
    nace_codes = models.JSONField(
        _("NACE Rev.2 codes"),
        default=list,
        blank=True,
        help_text=_("Divisions, groups or classes, e.g. ['64.19'] or ['C13', 'C14']."),
    )
    sra_2014_elevated = models.BooleanField(
        _("elevated risk in the 2014 SRA"),
        default=False,
        help_text=_("Named by the 2014 Sector Risk Analysis as a sector with elevated IRBC risk."),
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl

    name = bilingual("name")

    description = bilingual("description")
