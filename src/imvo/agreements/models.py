from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import PRECISION_CHOICES, Cited, Known, PartialDateFields, current_only


class Convention(Cited):
    """A way of counting agreements, as a source counts them (e.g. the SER's list of 11)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    rule_nl = models.TextField(_("rule (Dutch)"))
    rule_en = models.TextField(_("rule (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counting convention")
        verbose_name_plural = _("counting conventions")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title_nl

    title = bilingual("title")
    rule = bilingual("rule")


class Agreement(Known, Cited):
    """A signed agreement: an IMVO covenant or another (sector) agreement.

    Valid time: signed, in force, ended (with the reason); knowledge time from :class:`Known`
    (what was known of the agreement at a moment; an end learned later is a correction).
    """

    class Kind(models.TextChoices):
        IMVO_COVENANT = "imvo_covenant", _("IMVO covenant")
        OTHER_AGREEMENT = "other_agreement", _("other sector agreement")

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", _("the agreement ran its term")
        TERMINATED = "terminated", _("the parties ended the agreement early")

    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    signed = models.DateField(_("signed"))
    signed_precision = models.CharField(
        _("precision of signing date"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    in_force = models.DateField(_("in force from"), null=True, blank=True)
    in_force_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    ended = models.DateField(_("ended"), null=True, blank=True)
    ended_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    end_reason = models.CharField(
        _("reason of the end"), max_length=20, choices=EndReason.choices, blank=True
    )
    counted_by = models.ManyToManyField(
        Convention,
        blank=True,
        related_name="agreements",
        verbose_name=_("counted by"),
        help_text=_("The counting conventions that count this agreement."),
    )
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

    history = HistoricalRecords(m2m_fields=[parties, sectors, counted_by])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed", "key"]
        constraints = [current_only("key", name="unique_current_agreement_key")]

    def __str__(self) -> str:
        return self.title_nl

    def clean(self) -> None:
        super().clean()
        if self.ended and self.signed and self.ended < self.signed:
            raise ValidationError({"ended": _("An agreement cannot end before it is signed.")})
        if self.in_force and self.signed and self.in_force < self.signed.replace(day=1):
            raise ValidationError(
                {"in_force": _("An agreement cannot enter into force before it is signed.")}
            )
        if self.end_reason and not self.ended:
            raise ValidationError({"end_reason": _("A reason of the end needs the date it ended.")})

    title = bilingual("title")

    summary = bilingual("summary")

    parties_text = bilingual("parties")

    @property
    def signed_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.signed, self.signed_precision)

    @property
    def in_force_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.in_force, self.in_force_precision)

    @property
    def ended_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.ended, self.ended_precision)


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


class TargetVersion(Known, Cited):
    """The target as set or revised on a date: value, deadline and the counting convention.

    Valid time: ``decided`` (from when this version is the target); knowledge time: when the
    letter that states it was published (:class:`Known`).
    """

    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="versions", verbose_name=_("target")
    )
    key = models.SlugField(_("key"), max_length=80)
    decided = models.DateField(_("decided on"))
    decided_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    value = models.PositiveIntegerField(_("target value"))
    deadline = models.DateField(_("deadline (last day that counts)"))
    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        related_name="target_versions",
        verbose_name=_("counting convention"),
    )
    text_nl = models.TextField(_("as worded (Dutch)"), blank=True)
    text_en = models.TextField(_("as worded (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target version")
        verbose_name_plural = _("target versions")
        ordering = ["target", "decided", "deadline"]
        constraints = [current_only("key", name="unique_current_target_version_key")]

    def __str__(self) -> str:
        return f"{self.target.key}: {self.value} ({self.decided}–{self.deadline})"

    text = bilingual("text")

    @property
    def decided_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.decided, self.decided_precision)
