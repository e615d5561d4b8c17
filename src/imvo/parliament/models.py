"""Parliamentary commitments (toezeggingen) and motions the progress letters answer.

A commitment is made by a minister in a debate ("zoals toegezegd tijdens het Algemeen Overleg
IMVO op 25 februari 2015"); a motion is adopted by the House. Each names where it is
documented (``source``) and, once answered, the letter that answered it (``answered_by``):
the date of that letter decides from when it counts as answered, so that a report as of an
earlier day still lists it as open. Bitemporal like every fact (:class:`~imvo.core.models.Known`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import PRECISION_CHOICES, Cited, Known, PartialDateFields, current_only


class Commitment(Known, Cited):
    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("commitment (toezegging)")
        MOTION = "motion", _("motion")

    class Subject(models.TextChoices):
        """What a progress letter answers it with (the section of the letter)."""

        PROGRESS = "progress", _("progress of the trajectories")
        TARGET = "target", _("the target and its revisions")
        MONITORING = "monitoring", _("monitoring of the agreements")
        EVALUATION = "evaluation", _("evaluation of the programme")
        OTHER = "other", _("other")

    key = models.SlugField(_("key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'Kamerstuk 26 485, nr. 213' for a motion"),
    )
    made = models.DateField(_("made on"))
    made_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    made_in_nl = models.CharField(_("debate or document (Dutch)"), max_length=250, blank=True)
    made_in_en = models.CharField(_("debate or document (English)"), max_length=250, blank=True)
    by_nl = models.CharField(_("made or submitted by (Dutch)"), max_length=250, blank=True)
    by_en = models.CharField(_("made or submitted by (English)"), max_length=250, blank=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    answered_by = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_commitments",
        verbose_name=_("answered by"),
    )
    answered_locator = models.CharField(_("where it is answered"), max_length=200, blank=True)
    rejected = models.BooleanField(
        _("motion rejected"),
        default=False,
        help_text=_("A motion the House voted down: no answer is due."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("parliamentary commitment or motion")
        verbose_name_plural = _("parliamentary commitments and motions")
        ordering = ["made", "key"]
        constraints = [current_only("key", name="unique_current_commitment_key")]

    def __str__(self) -> str:
        return f"{self.made_partial} {self.text_nl[:60]}"

    @property
    def made_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.made, self.made_precision)

    made_in = bilingual("made_in")
    by = bilingual("by")
    text = bilingual("text")


class PublishedLetter(models.Model):
    """A progress letter as the programme published it: every format's bytes, kept exactly,
    with the data version it was made from. Never changed: a corrected letter is published
    again (a new record beside the old one), so what parliament received stays readable."""

    class Lang(models.TextChoices):
        NL = "nl", "Nederlands"
        EN = "en", "English"

    as_of = models.DateField(_("reference date"))
    since = models.DateField(_("changes from"))
    known_at = models.DateTimeField(_("as known at"))
    lang = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    title = models.CharField(_("title"), max_length=250)
    data_version = models.CharField(_("data version"), max_length=32, blank=True)
    software_version = models.CharField(_("software version"), max_length=40, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    #: The letter as the site shows it (an ``<article>``), and each download.
    article = models.TextField(_("letter (HTML article)"))
    html = models.TextField(_("HTML"))
    md = models.TextField(_("Markdown"))
    json = models.TextField(_("data (JSON)"))
    pdf = models.BinaryField(_("PDF"))
    docx = models.BinaryField(_("DOCX"))

    history = HistoricalRecords(excluded_fields=["article", "html", "md", "json", "pdf", "docx"])

    class Meta:
        verbose_name = _("published progress letter")
        verbose_name_plural = _("published progress letters")
        ordering = ["-as_of", "-published_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.lang})"
