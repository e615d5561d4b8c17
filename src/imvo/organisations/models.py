from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import Cited


class Organisation(Cited):
    """An organisation taking part in the programme, with the source that first names it."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("ministry or government body")
        SER = "ser", _("Social and Economic Council (SER)")
        BUSINESS_ASSOCIATION = "business_association", _("business association")
        COMPANY = "company", _("company")
        NGO = "ngo", _("civil society organisation (NGO)")
        TRADE_UNION = "trade_union", _("trade union")
        KNOWLEDGE_INSTITUTE = "knowledge_institute", _("knowledge institute")
        INTERNATIONAL = "international", _("international organisation")
        MULTI_STAKEHOLDER = "multi_stakeholder", _("multi-stakeholder initiative")
        OTHER = "other", _("other")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.abbreviation})" if self.abbreviation else self.name_nl

    name = bilingual("name")

    @property
    def short_name(self) -> str:
        return self.abbreviation or self.name
