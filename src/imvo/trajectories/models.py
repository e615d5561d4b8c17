"""Trajectories towards a covenant: who takes part in which role, the phase history, events.

The phase history is bitemporal. ``valid_from`` is when a phase began in the world (with the
precision the source gives), ``recorded_at`` when this database learned it. A correction
never overwrites a record: it adds a new record that ``supersedes`` the old one, and the old
one gets ``superseded_at`` so that "what did we know then" stays answerable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import (
    PRECISION_CHOICES,
    Cited,
    Known,
    PartialDateFields,
    current_only,
)
from imvo.trajectories.phases import Phase


class Trajectory(Cited):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    sectors = models.ManyToManyField(
        "sectors.Sector", related_name="trajectories", verbose_name=_("sectors")
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        blank=True,
        related_name="trajectories",
        verbose_name=_("existing initiatives it builds on"),
    )
    joined = models.DateField(
        _("joined the programme"),
        null=True,
        blank=True,
        help_text=_("When the trajectory entered the programme (its first known fact)."),
    )
    joined_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    recorded_at = models.DateTimeField(
        _("recorded at"),
        default=timezone.now,
        help_text=_("When the trajectory became known: the date of the source that names it."),
    )
    reported_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_within",
        verbose_name=_("reported with"),
        help_text=_(
            "The trajectory in whose paragraph the progress letter reports this one (the 2015 "
            "letter reports coal under energy, electronics under metal)."
        ),
    )

    history = HistoricalRecords(m2m_fields=[sectors, initiatives])

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_nl

    name = bilingual("name")

    summary = bilingual("summary")


class Participation(Known, Cited):
    """An organisation's role in a trajectory, from when until when, as known at a moment."""

    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        CONVENOR = "convenor", _("convenor")
        MEDIATOR = "mediator", _("mediator")
        PENVOERDER = "penvoerder", _("drafter (penvoerder)")
        CHAIR = "chair", _("chair")
        LEAD = "lead", _("lead")
        PARTY = "party", _("party")
        KNOWLEDGE_PARTNER = "knowledge_partner", _("knowledge partner")
        FACILITATOR = "facilitator", _("facilitator")
        ADVISOR = "advisor", _("advisor")
        GOVERNMENT = "government", _("government counterpart")
        STAKEHOLDER = "stakeholder", _("stakeholder")

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("trajectory"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_from_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    valid_until = models.DateField(_("until"), null=True, blank=True)
    valid_until_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    note_nl = models.TextField(_("note (Dutch)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["trajectory", "role", "organisation"]
        constraints = [
            current_only("trajectory", "organisation", "role", name="unique_participation_role")
        ]

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("A participation cannot end before it starts.")}
            )

    def __str__(self) -> str:
        return f"{self.trajectory.slug}: {self.organisation.short_name} ({self.get_role_display()})"

    note = bilingual("note")


class PhaseRecord(Known, Cited):
    """One entry in a trajectory's bitemporal phase history."""

    class DateBasis(models.TextChoices):
        START = "start", _("the source dates the start of the phase")
        OBSERVED = "observed", _("the source only says the phase held on this date")

    key = models.SlugField(
        _("key"),
        max_length=100,
        help_text=_("Stable identifier of the fact in the reference data; shared by corrections."),
    )
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="phase_records",
        verbose_name=_("trajectory"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    valid_from = models.DateField(_("valid from"))
    valid_from_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    date_basis = models.CharField(
        _("date basis"), max_length=10, choices=DateBasis.choices, default=DateBasis.START
    )
    date_text = models.CharField(
        _("date as worded in the source"),
        max_length=120,
        blank=True,
        help_text=_("e.g. 'eind mei'"),
    )
    note_nl = models.TextField(_("note (Dutch)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase record")
        verbose_name_plural = _("phase records")
        ordering = ["trajectory", "valid_from", "recorded_at"]
        indexes = [models.Index(fields=["trajectory", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.trajectory.slug}: {self.get_phase_display()} {self.valid_from_partial}"

    @property
    def valid_from_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.valid_from, self.valid_from_precision)

    note = bilingual("note")


class Event(Known, Cited):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("roundtable")
        WORKSHOP = "workshop", _("workshop")
        MEETING = "meeting", _("meeting")
        STAKEHOLDER_MEETING = "stakeholder_meeting", _("stakeholder meeting")
        SIGNING = "signing", _("signing")
        LETTER_TO_PARLIAMENT = "letter_to_parliament", _("letter to parliament")
        PARLIAMENTARY_DEBATE = "parliamentary_debate", _("parliamentary debate")
        DECISION = "decision", _("decision or announcement")
        PUBLICATION = "publication", _("publication")
        INTERNATIONAL = "international", _("international meeting")
        LETTER = "letter", _("letter")

    key = models.SlugField(_("key"), max_length=100)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision"), max_length=5, choices=PRECISION_CHOICES, default="day"
    )
    date_text = models.CharField(_("date as worded in the source"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    trajectories = models.ManyToManyField(
        Trajectory, blank=True, related_name="events", verbose_name=_("trajectories")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="events",
        verbose_name=_("organisations"),
    )

    history = HistoricalRecords(m2m_fields=[trajectories, organisations])

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["date", "key"]
        constraints = [current_only("key", name="unique_current_event_key")]

    def __str__(self) -> str:
        return f"{self.date_partial or '?'} {self.title_nl}"

    def clean(self) -> None:
        super().clean()
        if self.date is None and self.status != self.Status.PLANNED:
            raise ValidationError({"date": _("Only a planned event may be without a date.")})

    @property
    def date_partial(self):  # type: ignore[no-untyped-def]
        return PartialDateFields.read(self.date, self.date_precision)

    title = bilingual("title")

    description = bilingual("description")


class GovernmentAction(Known, Cited):
    """What government does in the programme, per role (convening, knowledge, dialogue, ...)."""

    class Role(models.TextChoices):
        CONVENING = "convening", _("bringing parties together")
        KNOWLEDGE = "knowledge", _("knowledge building")
        DIRECT_DIALOGUE = "direct_dialogue", _("direct dialogue with sectors and companies")
        INTERNATIONAL = "international", _("international level playing field")
        STAKEHOLDER_ENGAGEMENT = "stakeholder_engagement", _("stakeholder engagement")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        DONE = "done", _("done")

    key = models.SlugField(_("key"), max_length=100)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    title_nl = models.CharField(_("title (Dutch)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    trajectories = models.ManyToManyField(
        Trajectory, blank=True, related_name="government_actions", verbose_name=_("trajectories")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="government_actions",
        verbose_name=_("organisations"),
    )

    history = HistoricalRecords(m2m_fields=[trajectories, organisations])

    class Meta:
        verbose_name = _("government action")
        verbose_name_plural = _("government actions")
        ordering = ["role", "key"]
        constraints = [current_only("key", name="unique_current_action_key")]

    def __str__(self) -> str:
        return self.title_nl

    title = bilingual("title")

    description = bilingual("description")
