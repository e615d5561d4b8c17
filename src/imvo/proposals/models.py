"""A proposal: a change to the programme's records that waits for a second person's approval.

Nothing of a pending proposal is in the domain tables: the change is kept as ``payload`` (the
form's cleaned data, relations as ids) and written through the domain services only when an
approver approves it (:func:`imvo.proposals.services.proposal_approve`). A proposal that
changes an existing record names it (``record_model``, ``record_id``) and the version of it
the proposer saw (``based_on``): approving a proposal whose record changed meanwhile is refused
(optimistic concurrency), and nothing is overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from imvo.core.i18n import bilingual
from imvo.core.models import Known, current_only


class Proposal(models.Model):
    class Kind(models.TextChoices):
        PHASE_CHANGE = "phase_change", _("phase change")
        AGREEMENT_SIGN = "agreement_sign", _("signing of an agreement")
        EVENT_PLAN = "event_plan", _("planned event")
        EVENT_OUTCOME = "event_outcome", _("outcome of an event")
        PARTICIPATION_ADD = "participation_add", _("new participation")
        PARTICIPATION_END = "participation_end", _("end of a participation")
        RECORD_CORRECTION = "record_correction", _("correction of a record")
        PROGRESS_NOTE = "progress_note", _("progress note")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        STALE = "stale", _("out of date: the record changed after it was proposed")

    kind = models.CharField(_("kind of change"), max_length=30, choices=Kind.choices)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("trajectory"),
    )
    payload = models.JSONField(
        _("proposed values"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("The form's values; related records by their id."),
    )
    record_model = models.CharField(
        _("kind of record changed"),
        max_length=60,
        blank=True,
        help_text=_("app_label.model of the record the proposal changes; empty for a new one."),
    )
    record_id = models.PositiveBigIntegerField(_("record changed"), null=True, blank=True)
    based_on = models.CharField(
        _("version it was based on"),
        max_length=120,
        blank=True,
        help_text=_("The version of the record (or phase history) the proposer saw."),
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_proposals",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    applied = models.JSONField(
        _("records written"),
        default=dict,
        blank=True,
        help_text=_("What the approval wrote: kind of record → ids."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "trajectory"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.trajectory.slug}: {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason for this change.")})
        decided = self.status not in (self.Status.PENDING,)
        if decided and self.decided_at is None:
            raise ValidationError({"decided_at": _("A decided proposal needs its moment.")})
        if (
            self.status in (self.Status.APPROVED, self.Status.REJECTED)
            and self.decided_by_id is not None
            and self.decided_by_id == self.proposed_by_id
        ):
            raise ValidationError(
                {"decided_by": _("Nobody approves or rejects their own proposal.")}
            )

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ProgressNote(Known):
    """What a trajectory's editors write about its progress for one report (e.g. the progress
    letter of 2026), in Dutch and English. Written through a proposal like every editors'
    change; a new text for the same report is a correction that supersedes the old one."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.PROTECT,
        related_name="progress_notes",
        verbose_name=_("trajectory"),
    )
    period = models.CharField(
        _("report"),
        max_length=20,
        help_text=_("The report the note is for, e.g. '2026' for the progress letter of 2026."),
    )
    text_nl = models.TextField(_("note (Dutch)"))
    text_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["trajectory", "-period", "-recorded_at"]
        constraints = [current_only("trajectory", "period", name="unique_current_progress_note")]

    def __str__(self) -> str:
        return f"{self.trajectory.slug}: {self.period}"

    text = bilingual("text")
