from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import PRECISION_CHOICES, Cited, PartialDateFields


class Agreement(Cited):
    """A signed agreement: an IMVO covenant or another (sector) agreement."""

    class Kind(models.TextChoices):
        IMVO_COVENANT = "imvo_covenant", _("IMVO covenant")
        OTHER_AGREEMENT = "other_agreement", _("other sector agreement")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    signed = models.DateField(_("signed"))
    signed_precision = models.CharField(
        _("precision of signing date"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    ended = models.DateField(_("ended"), null=True, blank=True)
    parties = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="agreements",
        verbose_name=_("parties"),
    )
    parties_nl = models.CharField(
        _("parties as described (Dutch)"),
        max_length=300,
        blank=True,
        help_text=_("Used where the source describes the parties without naming them."),
    )
    parties_en = models.CharField(_("parties as described (English)"), max_length=300, blank=True)
    sectors = models.ManyToManyField(
        "sectors.Sector", blank=True, related_name="agreements", verbose_name=_("sectors")
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("trajectory"),
    )
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    history = HistoricalRecords(m2m_fields=[parties, sectors])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed", "key"]

    def __str__(self) -> str:
        return self.title_nl

    title = bilingual("title")

    summary = bilingual("summary")

    parties_text = bilingual("parties")

    @property
    def signed_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.signed, self.signed_precision)


class Target(Cited):
    """A programme target, e.g. ten IMVO covenants before 2017."""

    class Metric(models.TextChoices):
        SIGNED_IMVO_COVENANTS = "signed_imvo_covenants", _("number of signed IMVO covenants")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    metric = models.CharField(_("metric"), max_length=40, choices=Metric.choices)
    value = models.PositiveIntegerField(_("target value"))
    deadline = models.DateField(_("deadline (last day that counts)"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    counting_rule_nl = models.TextField(_("counting rule (Dutch)"))
    counting_rule_en = models.TextField(_("counting rule (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.title_nl

    title = bilingual("title")

    counting_rule = bilingual("counting_rule")
