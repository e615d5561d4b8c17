"""The editors' forms: server-rendered, accessible, and turned into a proposal's payload.

Every form asks for a reason and carries the version it was based on (hidden). Choices come
from selectors (channels import no models module). Accessibility (WCAG 2.1 AA): each field has
a label above it, a hint where it helps, and on an error ``aria-invalid`` and
``aria-describedby`` naming the hint and the error; :meth:`EditorForm.summary` feeds the error
summary at the top of the page, with a link to each field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imvo.core.dates import PartialDate
from imvo.proposals.selectors import (
    Choices,
    agreement_choices,
    form_choices,
    organisation_choices_by_kind,
    source_choices,
)

NEW, EXISTING = "new", "existing"


def first_day(day: dt.date | None, precision: str) -> dt.date | None:
    """The first day of the period of ``day`` at ``precision`` (how dates are stored)."""
    if day is None:
        return None
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    return day


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def error_summary(form: forms.Form) -> list[tuple[str, str, str]]:
    """(anchor, field label, message) for each error of ``form``, in the order of the form."""
    found = [("", "", message) for message in form.non_field_errors()]
    for name, field in form.fields.items():
        if name in form.errors and not isinstance(field.widget, forms.HiddenInput):
            bound = form[name]
            for message in form.errors[name]:
                found.append((bound.id_for_label or f"id_{name}", str(field.label), message))
    return found


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EditorForm(forms.Form):
    """A form with a required reason, a hidden version and accessible error reporting."""

    reason = forms.CharField(
        label=_("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Why this change? It is kept in the audit trail with your name; the approver reads "
            "it too."
        ),
    )
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    #: Field names shown in a fieldset of their own: (legend, hint, names).
    fieldsets: tuple[tuple[Any, Any, tuple[str, ...]], ...] = ()

    def __init__(
        self,
        *args: Any,
        choices: Choices | None = None,
        trajectory: Any = None,
        record: Any = None,
        **kwargs: Any,
    ) -> None:
        self.choices = choices or form_choices()
        self.trajectory = trajectory
        self.record = record  # the record it changes, as stored now (None: a new record)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text and not self[name].use_fieldset:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            if self[name].use_fieldset:  # the fieldset names hint and error (_field.html)
                continue
            described = [f"id_{name}_error"]
            if field.help_text:
                described.insert(0, f"id_{name}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described)
            field.widget.attrs["aria-invalid"] = "true"

    def summary(self) -> list[tuple[str, str, str]]:
        return error_summary(self)

    def groups(self) -> list[tuple[Any, Any, list[forms.BoundField]]]:
        """The visible fields in their fieldsets (fields outside any come first, the reason
        last)."""
        grouped = {name for _legend, _hint, names in self.fieldsets for name in names}
        loose = [
            self[name]
            for name in self.fields
            if name not in grouped
            and name not in ("reason", "based_on")
            and not isinstance(self.fields[name].widget, forms.HiddenInput)
        ]
        result: list[tuple[Any, Any, list[forms.BoundField]]] = []
        if loose:
            result.append(("", "", loose))
        for legend, hint, names in self.fieldsets:
            result.append((legend, hint, [self[name] for name in names if name in self.fields]))
        result.append(("", "", [self["reason"]]))
        return result


class SourceFields(EditorForm):
    """Pick an existing source or register a new one, in the same form."""

    source_choice = forms.ChoiceField(
        label=_("Source"),
        choices=[(EXISTING, _("an existing source")), (NEW, _("a new source"))],
        initial=EXISTING,
        widget=forms.RadioSelect,
        help_text=_("Every fact cites the document it comes from."),
    )
    source = forms.TypedChoiceField(
        label=_("Existing source"),
        coerce=int,
        required=False,
        help_text=_("Title — reference — date, newest first."),
    )
    new_source_title = forms.CharField(
        label=_("Title of the new source"), max_length=300, required=False
    )
    new_source_reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("e.g. 'Kamerstuk 26 485, nr. 222' or a press release's date and publisher."),
    )
    new_source_date = forms.DateField(
        label=_("Date of the source"), required=False, widget=DateInput()
    )
    new_source_kind = forms.ChoiceField(label=_("Kind of source"), required=False)
    new_source_url = forms.URLField(
        label=_("Web address (URL)"), max_length=500, required=False, assume_scheme="https"
    )
    source_locator = forms.CharField(
        label=_("Where in the source"),
        max_length=200,
        required=False,
        help_text=_("Section, page or passage, e.g. '§2, textile'."),
    )

    source_fieldset = (
        _("Source"),
        _("Pick the document this comes from, or register a new one."),
        (
            "source_choice",
            "source",
            "new_source_title",
            "new_source_reference",
            "new_source_date",
            "new_source_kind",
            "new_source_url",
            "source_locator",
        ),
    )
    source_required = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("— choose a source —")), *source_choices()]
        self.fields["new_source_kind"].choices = self.choices.source_kinds
        self.fields["new_source_kind"].initial = "other"
        if not self.source_required:
            self.fields["source_choice"].required = False
            self.fields["source_choice"].choices = [
                ("", _("keep the record's source")),
                *self.fields["source_choice"].choices,
            ]
            self.fields["source_choice"].initial = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("source_choice")
        if choice == EXISTING and not data.get("source"):
            self.add_error("source", _("Choose the source, or choose 'a new source'."))
        if choice == NEW and not data.get("new_source_title"):
            self.add_error("new_source_title", _("Give the title of the new source."))
        return data

    def source_payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data.get("source_choice") == NEW:
            return {
                "new_source": {
                    "title": data["new_source_title"],
                    "reference": data.get("new_source_reference", ""),
                    "date": iso(data.get("new_source_date")),
                    "date_precision": "day",
                    "kind": data.get("new_source_kind") or "other",
                    "url": data.get("new_source_url", ""),
                },
                "source_locator": data.get("source_locator", ""),
            }
        if data.get("source_choice") == EXISTING:
            return {"source": data["source"], "source_locator": data.get("source_locator", "")}
        return {}


class PhaseChangeForm(SourceFields):
    """Record a phase change; a signing brings its agreement and parties in the same form."""

    phase = forms.ChoiceField(label=_("New phase"))
    valid_from = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_(
            "The day the phase began, or the day the source says it held. With month or year "
            "precision any day of that month or year will do. For 'signed' this is the "
            "signing date."
        ),
    )
    valid_from_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect, initial="day"
    )
    date_basis = forms.ChoiceField(
        label=_("What the date says"), widget=forms.RadioSelect, initial="start"
    )
    date_text = forms.CharField(
        label=_("The date as worded in the source"),
        max_length=120,
        required=False,
        help_text=_("e.g. 'eind mei' or '18 mei jl.'"),
    )
    note_nl = forms.CharField(
        label=_("Note (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note_en = forms.CharField(
        label=_("Note (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    agreement_link = forms.TypedChoiceField(
        label=_("Agreement"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("A new agreement, or one of this trajectory's agreements already recorded."),
    )
    agreement_title_nl = forms.CharField(
        label=_("Title of the agreement (Dutch)"), max_length=300, required=False
    )
    agreement_title_en = forms.CharField(
        label=_("Title of the agreement (English)"), max_length=300, required=False
    )
    agreement_kind = forms.ChoiceField(label=_("Kind of agreement"), required=False)
    agreement_parties = forms.TypedMultipleChoiceField(
        label=_("Parties that signed"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The organisations that signed. Each becomes a party of the trajectory from the "
            "signing date."
        ),
    )

    def __init__(self, *args: Any, trajectory: Any, **kwargs: Any) -> None:
        super().__init__(*args, trajectory=trajectory, **kwargs)
        self.fields["phase"].choices = [("", _("— choose a phase —")), *self.choices.phases]
        self.fields["valid_from_precision"].choices = self.choices.precisions
        self.fields["date_basis"].choices = self.choices.date_bases
        self.fields["agreement_link"].choices = [
            ("", _("a new agreement (fill in below)")),
            *agreement_choices(trajectory=trajectory),
        ]
        self.fields["agreement_kind"].choices = self.choices.agreement_kinds
        self.fields["agreement_kind"].initial = "imvo_covenant"
        self.fields["agreement_parties"].choices = organisation_choices_by_kind()

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (
                _("Phase"),
                "",
                ("phase", "valid_from", "valid_from_precision", "date_basis", "date_text"),
            ),
            self.source_fieldset,
            (
                _("When the phase is 'signed': the agreement"),
                _(
                    "Signing is one step: the agreement, its parties and the phase are recorded "
                    "together. Leave this empty for other phases."
                ),
                (
                    "agreement_link",
                    "agreement_title_nl",
                    "agreement_title_en",
                    "agreement_kind",
                    "agreement_parties",
                ),
            ),
            (_("Notes"), "", ("note_nl", "note_en")),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("phase") == "signed" and not data.get("agreement_link"):
            if not data.get("agreement_title_nl"):
                self.add_error(
                    "agreement_title_nl",
                    _("A signing needs its agreement: give its title (or pick the agreement)."),
                )
            if not data.get("agreement_parties"):
                self.add_error("agreement_parties", _("Pick the parties that signed."))
        return data

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        precision = data["valid_from_precision"]
        payload: dict[str, Any] = {
            "phase": data["phase"],
            "valid_from": iso(first_day(data["valid_from"], precision)),
            "valid_from_precision": precision,
            "date_basis": data["date_basis"],
            "date_text": data.get("date_text", ""),
            "note_nl": data.get("note_nl", ""),
            "note_en": data.get("note_en", ""),
            **self.source_payload(),
        }
        if data["phase"] == "signed":
            if data.get("agreement_link"):
                payload["agreement"] = {"id": data["agreement_link"]}
            else:
                payload["agreement"] = {
                    "title_nl": data["agreement_title_nl"],
                    "title_en": data.get("agreement_title_en", ""),
                    "kind": data.get("agreement_kind") or "imvo_covenant",
                    "parties": list(data.get("agreement_parties") or []),
                }
        return payload

    @property
    def kind(self) -> str:
        return "agreement_sign" if self.cleaned_data.get("phase") == "signed" else "phase_change"


class DecisionForm(forms.Form):
    """Approve or reject a proposal, with a required reason."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    decision_reason = forms.CharField(
        label=_("Reason for your decision"),
        widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "id_decision_reason_helptext"}),
        max_length=2000,
        help_text=_("Kept in the audit trail with your name, beside the proposer's reason."),
    )

    def full_clean(self) -> None:
        super().full_clean()
        if "decision_reason" in self.errors:
            attrs = self.fields["decision_reason"].widget.attrs
            attrs["aria-describedby"] = "id_decision_reason_helptext id_decision_reason_error"
            attrs["aria-invalid"] = "true"

    def summary(self) -> list[tuple[str, str, str]]:
        """What went wrong: the form's own problems (e.g. a busy database) first, unlinked."""
        return [("", "", message) for message in self.non_field_errors()] + [
            ("id_decision_reason", str(self.fields["decision_reason"].label), message)
            for message in self.errors.get("decision_reason", [])
        ]


class WithdrawForm(forms.Form):
    withdraw_reason = forms.CharField(
        label=_("Why do you withdraw it?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


def partial_iso(day: dt.date | None, precision: str) -> str:
    return PartialDate.of(day, precision).iso() if day else ""


def organisation_field(label: Any, help_text: Any = "", *, required: bool = False) -> Any:
    return forms.TypedMultipleChoiceField(
        label=label,
        coerce=int,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class EventPlanForm(SourceFields):
    """Plan an event of the trajectory (its outcome is recorded later)."""

    kind = "event_plan"

    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=250)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    event_kind = forms.ChoiceField(label=_("Kind of event"))
    date = forms.DateField(
        label=_("Planned date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty when no date is known yet."),
    )
    date_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect, initial="day"
    )
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    organisations = organisation_field(_("Organisations involved"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_kind"].choices = self.choices.event_kinds
        self.fields["date_precision"].choices = self.choices.precisions
        self.fields["organisations"].choices = organisation_choices_by_kind()

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (
                _("Event"),
                "",
                (
                    "title_nl",
                    "title_en",
                    "event_kind",
                    "date",
                    "date_precision",
                    "description_nl",
                    "description_en",
                    "organisations",
                ),
            ),
            self.source_fieldset,
        )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        precision = data["date_precision"]
        return {
            "title_nl": data["title_nl"],
            "title_en": data.get("title_en", ""),
            "kind": data["event_kind"],
            "date": iso(first_day(data.get("date"), precision)),
            "date_precision": precision,
            "description_nl": data.get("description_nl", ""),
            "description_en": data.get("description_en", ""),
            "organisations": list(data.get("organisations") or []),
            **self.source_payload(),
        }


class EventOutcomeForm(SourceFields):
    """Record what became of a planned event: held (when, who took part, a summary) or
    cancelled."""

    kind = "event_outcome"
    source_required = False

    status = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        help_text=_("When it was held (a held event needs its date)."),
    )
    date_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect, initial="day"
    )
    organisations = organisation_field(_("Participants"), _("The organisations that took part."))
    description_nl = forms.CharField(
        label=_("Summary (Dutch)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = self.choices.outcomes
        self.fields["date_precision"].choices = self.choices.precisions
        self.fields["organisations"].choices = organisation_choices_by_kind()

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (
                _("Outcome"),
                "",
                (
                    "status",
                    "date",
                    "date_precision",
                    "organisations",
                    "description_nl",
                    "description_en",
                ),
            ),
            self.source_fieldset,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == "held" and not data.get("date"):
            self.add_error("date", _("Give the date on which it was held."))
        return data

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        precision = data["date_precision"]
        payload = {
            "status": data["status"],
            "date_precision": precision,
            "organisations": list(data.get("organisations") or []),
            "description_nl": data.get("description_nl", ""),
            "description_en": data.get("description_en", ""),
            **self.source_payload(),
        }
        if data.get("date"):
            payload["date"] = iso(first_day(data["date"], precision))
        return payload


class ParticipationAddForm(SourceFields):
    """An organisation joins the trajectory in a role."""

    kind = "participation_add"

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    role = forms.ChoiceField(label=_("Role"))
    valid_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("When it took up the role, if the source says."),
    )
    valid_from_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect, initial="day"
    )
    note_nl = forms.CharField(
        label=_("Note (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note_en = forms.CharField(
        label=_("Note (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", _("— choose an organisation —")),
            *organisation_choices_by_kind(),
        ]
        self.fields["role"].choices = [("", _("— choose a role —")), *self.choices.roles]
        self.fields["valid_from_precision"].choices = self.choices.precisions

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (
                _("Participation"),
                "",
                (
                    "organisation",
                    "role",
                    "valid_from",
                    "valid_from_precision",
                    "note_nl",
                    "note_en",
                ),
            ),
            self.source_fieldset,
        )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        precision = data["valid_from_precision"]
        return {
            "organisation": data["organisation"],
            "role": data["role"],
            "valid_from": iso(first_day(data.get("valid_from"), precision)),
            "valid_from_precision": precision,
            "note_nl": data.get("note_nl", ""),
            "note_en": data.get("note_en", ""),
            **self.source_payload(),
        }


class ParticipationEndForm(SourceFields):
    """An organisation leaves the trajectory (or ends this role): the participation ends."""

    kind = "participation_end"
    source_required = False

    valid_until = forms.DateField(label=_("Until"), widget=DateInput())
    valid_until_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect, initial="day"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_until_precision"].choices = self.choices.precisions

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (_("End of the participation"), "", ("valid_until", "valid_until_precision")),
            self.source_fieldset,
        )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        precision = data["valid_until_precision"]
        return {
            "valid_until": iso(first_day(data["valid_until"], precision)),
            "valid_until_precision": precision,
            **self.source_payload(),
        }


class PhaseCorrectionForm(SourceFields):
    """Correct an earlier phase record: the correction supersedes it, never overwrites."""

    kind = "record_correction"
    source_required = False
    CORRECTED = ("phase", "valid_from", "valid_from_precision", "date_basis", "date_text")

    phase = forms.ChoiceField(label=_("Phase"))
    valid_from = forms.DateField(label=_("Date"), widget=DateInput())
    valid_from_precision = forms.ChoiceField(
        label=_("Precision of the date"), widget=forms.RadioSelect
    )
    date_basis = forms.ChoiceField(label=_("What the date says"), widget=forms.RadioSelect)
    date_text = forms.CharField(
        label=_("The date as worded in the source"), max_length=120, required=False
    )
    note_nl = forms.CharField(
        label=_("Note (Dutch)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note_en = forms.CharField(
        label=_("Note (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = self.choices.phases
        self.fields["valid_from_precision"].choices = self.choices.precisions
        self.fields["date_basis"].choices = self.choices.date_bases

    @property
    def fieldsets(self) -> tuple[tuple[Any, Any, tuple[str, ...]], ...]:  # type: ignore[override]
        return (
            (_("Corrected phase record"), "", (*self.CORRECTED, "note_nl", "note_en")),
            self.source_fieldset,
        )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in (*self.CORRECTED, "note_nl", "note_en"):
            value = data.get(name, "")
            if name == "valid_from":
                value = first_day(value, data["valid_from_precision"])
            if self.record is None or getattr(self.record, name) != value:
                values[name] = iso(value) if name == "valid_from" else value
        return {"values": values, **self.source_payload()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not self.payload()["values"] and not self.source_payload():
            raise forms.ValidationError(_("Nothing was changed."))
        return data


class ProgressNoteForm(EditorForm):
    """The progress note of the trajectory for a report."""

    kind = "progress_note"

    period = forms.CharField(max_length=20, widget=forms.HiddenInput)
    text_nl = forms.CharField(label=_("Note (Dutch)"), widget=forms.Textarea(attrs={"rows": 8}))
    text_en = forms.CharField(
        label=_("Note (English)"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )

    def payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period": data["period"].strip(),
            "text_nl": data["text_nl"],
            "text_en": data.get("text_en", ""),
        }


class ReportForm(forms.Form):
    """The progress letter to draft: reference date, period, knowledge time, format, language."""

    as_of = forms.DateField(
        label=_("Reference date"),
        widget=DateInput(),
        help_text=_("The day the letter describes (the letter's date)."),
    )
    since = forms.DateField(
        label=_("Changes from"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the day after the previous letter to parliament."),
    )
    known_at = forms.DateField(
        label=_("As known at"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the end of the reference date."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("docx", _("Word (DOCX), to edit")),
            ("pdf", _("PDF/UA, accessible, to publish")),
            ("html", _("HTML, to publish")),
            ("md", _("Markdown")),
            ("json", _("Data (JSON)")),
        ],
        initial="docx",
    )
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("nl", "Nederlands"), ("en", "English")], initial="nl"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe()

    def describe(self) -> None:
        """Each field names its hint (and its error, once there is one) for screen readers."""
        errors = self._errors or {}  # never validates: only what validation found so far
        for name, field in self.fields.items():
            ids = [f"{self[name].auto_id}_helptext"] if field.help_text else []
            if name in errors:
                ids.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self.describe()

    def summary(self) -> list[tuple[str, str, str]]:
        return error_summary(self)


class PublishForm(ReportForm):
    """Publish a letter: the same choices without the format (every format is kept), and why."""

    reason = forms.CharField(
        label=_("Reason for publishing"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "e.g. 'Sent to parliament as Kamerstuk 26 485, nr. 212'. Kept in the audit trail."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="publiceren", **kwargs)
        del self.fields["format"]
