from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.models import PRECISION_CHOICES, PartialDateFields


class Source(models.Model):
    """A cited document: a letter to parliament, a parliamentary paper, an advice, a report."""

    class Kind(models.TextChoices):
        LETTER_TO_PARLIAMENT = "letter_to_parliament", _("letter to parliament")
        PARLIAMENTARY_PAPER = "parliamentary_paper", _("parliamentary paper")
        ADVICE = "advice", _("advice")
        REPORT = "report", _("report")
        AGREEMENT = "agreement", _("agreement text")
        PLAN = "plan", _("plan or policy document")
        DATASET = "dataset", _("dataset")
        OTHER = "other", _("other")

    key = models.SlugField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_(
            "Official reference, e.g. 'Kamerstuk 26 485, nr. 197' or 'Minbuza 2015.337860'."
        ),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})" if self.reference else self.title

    @property
    def partial_date(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.date, self.date_precision)
