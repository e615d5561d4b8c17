from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import PRECISION_CHOICES, Cited, PartialDateFields


class Initiative(Cited):
    """An existing (inter)national sector initiative or scheme a covenant can build on."""

    class Kind(models.TextChoices):
        SECTOR_INITIATIVE = "sector_initiative", _("sector initiative")
        MULTI_STAKEHOLDER = "multi_stakeholder", _("multi-stakeholder initiative")
        CERTIFICATION = "certification", _("(self-)certification scheme")
        CODE_OF_CONDUCT = "code_of_conduct", _("code of conduct")
        GOVERNMENT_PROGRAMME = "government_programme", _("government programme or Green Deal")
        REGULATION = "regulation", _("legislation or regulation")
        INTERNATIONAL_AGREEMENT = "international_agreement", _("international agreement")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=30, blank=True)
    started = models.DateField(_("started"), null=True, blank=True)
    started_precision = models.CharField(
        _("precision of start"), max_length=5, choices=PRECISION_CHOICES, default="year"
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sectors = models.ManyToManyField(
        "sectors.Sector", blank=True, related_name="initiatives", verbose_name=_("sectors")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="initiatives",
        verbose_name=_("organisations"),
    )
    risk_themes = models.JSONField(
        _("risk themes addressed"),
        default=list,
        blank=True,
        help_text=_(
            "Codes of the SRA risk themes the initiative addresses, e.g. ['child_labour']."
        ),
    )
    coverage = models.FloatField(
        _("coverage (authored estimate)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "Share (0-1) of the sectors' inherent risk on those themes the initiative plausibly "
            "addresses. An estimate, used for the residual score of the Sector Risk Analysis; "
            "empty means not assessed."
        ),
    )
    coverage_rationale = models.TextField(_("rationale for the coverage"), blank=True)

    history = HistoricalRecords(m2m_fields=[sectors, organisations])

    class Meta:
        verbose_name = _("existing initiative")
        verbose_name_plural = _("existing initiatives")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl

    name = bilingual("name")

    description = bilingual("description")

    @property
    def started_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.started, self.started_precision)
