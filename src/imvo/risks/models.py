from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual, localized
from imvo.core.models import Cited


class Theme(Cited):
    """An IRBC risk theme (e.g. child labour, land rights)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    cross_sector = models.BooleanField(
        _("cross-sector theme"),
        default=False,
        help_text=_("A theme the programme treats across sectors (e.g. with NGO or union advice)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl

    name = bilingual("name")


class ThemeAdvice(Cited):
    """Who advises the programme on a cross-sector theme."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="advice", verbose_name=_("theme")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="theme_advice",
        verbose_name=_("organisation"),
    )
    advisor_nl = models.CharField(
        _("advisor as described (Dutch)"),
        max_length=200,
        blank=True,
        help_text=_("Used where the source does not name the organisation."),
    )
    advisor_en = models.CharField(_("advisor as described (English)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme advice")
        verbose_name_plural = _("theme advice")
        ordering = ["theme", "key"]

    def __str__(self) -> str:
        who = self.organisation.short_name if self.organisation else self.advisor_nl
        return f"{self.theme}: {who}"

    @property
    def advisor(self) -> str:
        return self.organisation.name if self.organisation else localized(self, "advisor")
