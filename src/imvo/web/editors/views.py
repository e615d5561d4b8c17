"""The editors' pages: signed-in staff propose changes and approve each other's (four eyes).

Each view parses the request, asks the access policy, calls one selector or service and
renders. Every change is a proposal (:mod:`imvo.proposals.services`); nothing reaches the
public pages before another person approves it. A form that fails keeps what was typed and
shows an error summary with links to the fields; a form based on a version that changed
meanwhile is refused with what changed (status 409) and nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from imvo.accounts.policy import (
    approvable_trajectories,
    can_approve,
    can_propose,
    can_view_proposal,
    can_withdraw,
    editable_trajectories,
)
from imvo.core.audit import Actor
from imvo.core.errors import ImvoError, NotFound
from imvo.core.moments import end_of_day
from imvo.parliament.services import published_letter_create
from imvo.programme.selectors import progress_report
from imvo.proposals.selectors import (
    current_row,
    editor_home,
    editor_trajectory,
    next_report_period,
    phase_history_items,
    phase_history_version,
    progress_note_of,
    progress_note_version,
    proposal_page,
    proposals_by,
    proposals_of_trajectory,
    proposals_pending,
    record_get,
    record_history_items,
    record_version,
    trajectory_records,
)
from imvo.proposals.services import (
    NotAllowed,
    StaleRecord,
    proposal_approve,
    proposal_reject,
    proposal_submit,
    proposal_withdraw,
)
from imvo.reports.exporters import exporter
from imvo.reports.progress import published_letter_data, stem
from imvo.web.editors.access import editor_required
from imvo.web.editors.forms import (
    DecisionForm,
    EditorForm,
    EventOutcomeForm,
    EventPlanForm,
    ParticipationAddForm,
    ParticipationEndForm,
    PhaseChangeForm,
    PhaseCorrectionForm,
    ProgressNoteForm,
    PublishForm,
    ReportForm,
    WithdrawForm,
)
from imvo.web.public.letter_views import letter_file


def _trajectory_or_404(slug: str) -> Any:
    try:
        return editor_trajectory(slug=slug)
    except NotFound:
        raise Http404(_("No trajectory with slug '%(slug)s'.") % {"slug": slug}) from None


def _proposable(request: HttpRequest, slug: str) -> Any:
    trajectory = _trajectory_or_404(slug)
    if not can_propose(request.user, trajectory):
        raise PermissionDenied(_("You do not edit this trajectory."))
    return trajectory


def _refresh_version(form: EditorForm, version: str) -> None:
    """After a stale refusal: keep what was typed, and base a new submission on the version
    now shown (the person has seen what changed)."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data["based_on"] = version
    form.data = data


def _add_problems(form: EditorForm, error: ImvoError) -> None:
    """Put a service's problems on the form: on their field where the form has it."""
    fields = {
        "valid_from": "valid_from",
        "phase": "phase",
        "source": "source",
        "agreement": "agreement_title_nl",
        "parties": "agreement_parties",
        "organisations": "agreement_parties",
        "reason": "reason",
    }
    for problem in error.problems:
        name = fields.get(problem.field, problem.field)
        form.add_error(name if name in form.fields else None, problem.message)


def submit(
    request: HttpRequest,
    form: Any,
    *,
    trajectory: Any,
    record: Any = None,
    context: dict[str, Any],
    template: str,
    current_version: str,
    refresh: bool = True,
) -> HttpResponse:
    """Turn a valid form into a proposal, or render the form again with what went wrong."""
    stale = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = proposal_submit(
                    trajectory=trajectory,
                    kind=form.kind,
                    payload=form.payload(),
                    record=record,
                    based_on=form.cleaned_data.get("based_on") or "",
                    actor=Actor(form.cleaned_data["reason"], request.user),
                )
            except StaleRecord as exc:
                stale, status = exc.changes, 409
                if refresh:
                    _refresh_version(form, current_version)
                form.add_error(None, exc.message)
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from None
            except ImvoError as exc:
                _add_problems(form, exc)
            except OperationalError:
                form.add_error(None, _("The database was busy; nothing was saved. Try again."))
                status = 503
            else:
                messages.success(
                    request,
                    _(
                        "Your proposal was saved. It is not public until another person "
                        "approves it."
                    ),
                )
                return redirect("editors:proposal", pk=proposal.pk)
    page = {**context, "form": form, "stale_changes": stale, "trajectory": trajectory}
    return render(request, template, page, status=status)


@require_safe
@editor_required
def home(request: HttpRequest) -> HttpResponse:
    """'Mijn trajecten': the trajectories the user edits and what needs attention."""
    page = editor_home(
        user=request.user,
        trajectory_ids=editable_trajectories(request.user),
        approvable_ids=approvable_trajectories(request.user),
    )
    return render(request, "editors/home.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def phase_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a phase change (a signing with its agreement and parties) as a proposal."""
    trajectory = _proposable(request, slug)
    version = phase_history_version(trajectory)
    if request.method == "POST":
        form = PhaseChangeForm(request.POST, trajectory=trajectory)
    else:
        form = PhaseChangeForm(trajectory=trajectory, initial={"based_on": version})
    context = {
        "history": phase_history_items(trajectory=trajectory),
        "pending": proposals_of_trajectory(trajectory=trajectory),
        "title": _("Record a phase change"),
    }
    return submit(
        request,
        form,
        trajectory=trajectory,
        context=context,
        template="editors/phase_change.html",
        current_version=version,
    )


@require_safe
@editor_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The approval queue: pending proposals the user may approve; and the user's own."""
    approvable = approvable_trajectories(request.user)
    queue = [
        p for p in proposals_pending(trajectory_ids=approvable) if can_approve(request.user, p)
    ]
    editable = editable_trajectories(request.user)
    visible = [
        p
        for p in proposals_pending(trajectory_ids=editable)
        if p not in queue and p.proposed_by_id != request.user.pk
    ]
    context = {
        "queue": queue,
        "others": visible,
        "own": proposals_by(user=request.user),
    }
    return render(request, "editors/proposals.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal beside the current record, with approve/reject (or withdraw)."""
    try:
        page = proposal_page(pk=pk)
    except NotFound:
        raise Http404(_("There is no proposal %(pk)s.") % {"pk": pk}) from None
    proposal = page.proposal
    if not can_view_proposal(request.user, proposal):
        raise PermissionDenied(_("You do not see the proposals of this trajectory."))
    may_decide = can_approve(request.user, proposal)
    may_withdraw = can_withdraw(request.user, proposal)
    decision = DecisionForm()
    withdraw = WithdrawForm()
    status = 200
    stale = page.stale_changes
    if request.method == "POST":
        status = 400
        if "withdraw_reason" in request.POST:
            if not may_withdraw:
                raise PermissionDenied(_("Only the proposer withdraws a pending proposal."))
            withdraw = WithdrawForm(request.POST)
            if withdraw.is_valid():
                return _decided(
                    request,
                    lambda: proposal_withdraw(
                        proposal=proposal,
                        actor=Actor(withdraw.cleaned_data["withdraw_reason"], request.user),
                    ),
                    _("You withdrew the proposal."),
                    pk,
                )
        else:
            if not may_decide:
                raise PermissionDenied(_("You may not decide on this proposal."))
            decision = DecisionForm(request.POST)
            if decision.is_valid():
                act = (
                    proposal_approve
                    if decision.cleaned_data["decision"] == "approve"
                    else (proposal_reject)
                )
                actor = Actor(decision.cleaned_data["decision_reason"], request.user)
                try:
                    act(proposal=proposal, actor=actor)
                except StaleRecord as exc:
                    messages.error(request, exc.message)
                    return redirect("editors:proposal", pk=pk)
                except NotAllowed as exc:
                    raise PermissionDenied(str(exc)) from None
                except ImvoError as exc:
                    decision.add_error(None, exc.message)
                except OperationalError:
                    decision.add_error(
                        None, _("The database was busy; nothing was saved. Try again.")
                    )
                    status = 503
                else:
                    done = (
                        _("Approved: the change is recorded and public.")
                        if act is proposal_approve
                        else _("Rejected: nothing of it was recorded.")
                    )
                    messages.success(request, done)
                    return redirect("editors:proposal", pk=pk)
    context = {
        "page": page,
        "proposal": proposal,
        "stale_changes": stale,
        "may_decide": may_decide,
        "may_withdraw": may_withdraw,
        "decision": decision,
        "withdraw": withdraw,
        "trajectory_url": reverse("public:trajectory", args=[proposal.trajectory.slug]),
    }
    return render(request, "editors/proposal.html", context, status=status)


def _decided(request: HttpRequest, act: Any, done: str, pk: int) -> HttpResponse:
    try:
        act()
    except ImvoError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("editors:proposal", pk=pk)


@require_safe
@editor_required
def trajectory_records_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One trajectory's current records, each with the forms that change it."""
    trajectory = _proposable(request, slug)
    page = trajectory_records(trajectory=trajectory)
    return render(request, "editors/trajectory.html", {"page": page, "trajectory": trajectory})


#: The forms that add a record to a trajectory: URL name → (form, title).
NEW_RECORD_FORMS: dict[str, tuple[type[EditorForm], Any]] = {
    "event_plan": (EventPlanForm, gettext_lazy("Plan an event")),
    "participation_add": (ParticipationAddForm, gettext_lazy("Add a participation")),
}

#: The forms that change an existing record: URL name → (record kind, form, title, initial).
RECORD_FORMS: dict[str, tuple[str, type[EditorForm], Any]] = {
    "event_outcome": ("event", EventOutcomeForm, gettext_lazy("Record the outcome of an event")),
    "participation_end": (
        "participation",
        ParticipationEndForm,
        gettext_lazy("End a participation"),
    ),
    "phase_correct": ("phaserecord", PhaseCorrectionForm, gettext_lazy("Correct a phase record")),
}


def _initial(record: Any) -> dict[str, Any]:
    """A form's starting values: the record as it is now."""
    fields = (
        "phase",
        "valid_from",
        "valid_from_precision",
        "date_basis",
        "date_text",
        "note_nl",
        "note_en",
        "date",
        "date_precision",
        "description_nl",
        "description_en",
        "valid_until",
        "valid_until_precision",
    )
    initial = {name: getattr(record, name) for name in fields if hasattr(record, name)}
    if hasattr(record, "organisations"):
        initial["organisations"] = [o.pk for o in record.organisations.all()]
    if getattr(record, "status", None) == "planned":
        initial["status"] = "held"
    return initial


def _new_record_form(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    trajectory = _proposable(request, slug)
    form_class, title = NEW_RECORD_FORMS[name]
    data = request.POST if request.method == "POST" else None
    form = form_class(data, trajectory=trajectory)
    context = {
        "title": title,
        "history": [],
        "pending": proposals_of_trajectory(trajectory=trajectory),
    }
    return submit(
        request,
        form,
        trajectory=trajectory,
        context=context,
        template="editors/record_form.html",
        current_version="",
    )


def _record_form(request: HttpRequest, slug: str, pk: int, name: str) -> HttpResponse:
    trajectory = _proposable(request, slug)
    kind, form_class, title = RECORD_FORMS[name]
    try:
        record = record_get(label=kind, pk=pk, trajectory=trajectory)
    except NotFound:
        raise Http404(_("There is no such record.")) from None
    current = current_row(type(record), record.pk)
    if current is None:
        raise Http404(_("This record was retracted."))
    if current.pk != record.pk and request.method != "POST":
        # a link to an older version: open the current one
        return redirect(f"editors:{name}", slug=slug, pk=current.pk)
    version = record_version(record)
    if request.method == "POST":
        form = form_class(request.POST, trajectory=trajectory, record=record)
    else:
        form = form_class(
            trajectory=trajectory,
            record=record,
            initial={**_initial(record), "based_on": version},
        )
    context = {
        "title": title,
        "record": record,
        "current_url": reverse(f"editors:{name}", args=[slug, current.pk]),
        "history": record_history_items(record=record),
        "pending": proposals_of_trajectory(trajectory=trajectory),
    }
    return submit(
        request,
        form,
        trajectory=trajectory,
        record=record,
        context=context,
        template="editors/record_form.html",
        current_version=version,
        refresh=False,  # a stale form names an older record: open the current one instead
    )


def _form_view(name: str, *, with_record: bool) -> Any:
    @require_http_methods(["GET", "HEAD", "POST"])
    @editor_required
    def view(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
        if with_record:
            assert pk is not None
            return _record_form(request, slug, pk, name)
        return _new_record_form(request, slug, name)

    view.__name__ = name
    return view


event_plan = _form_view("event_plan", with_record=False)
participation_add = _form_view("participation_add", with_record=False)
event_outcome = _form_view("event_outcome", with_record=True)
participation_end = _form_view("participation_end", with_record=True)
phase_correct = _form_view("phase_correct", with_record=True)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def progress_note(request: HttpRequest, slug: str) -> HttpResponse:
    """The trajectory's progress note for a report (default: this year's)."""
    trajectory = _proposable(request, slug)
    period = (request.POST.get("period") or request.GET.get("verslag") or "").strip()
    period = period or next_report_period()
    note = progress_note_of(trajectory=trajectory, period=period)
    version = progress_note_version(trajectory, period)
    if request.method == "POST":
        form = ProgressNoteForm(request.POST, trajectory=trajectory)
    else:
        initial = {"period": period, "based_on": version}
        if note is not None:
            initial.update(text_nl=note.text_nl, text_en=note.text_en)
        form = ProgressNoteForm(trajectory=trajectory, initial=initial)
    context = {
        "title": _("Progress note"),
        "period": period,
        "record": note,
        "history": record_history_items(record=note) if note is not None else [],
        "pending": proposals_of_trajectory(trajectory=trajectory),
    }
    return submit(
        request,
        form,
        trajectory=trajectory,
        record=note,
        context=context,
        template="editors/record_form.html",
        current_version=version,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def progress_letter(request: HttpRequest) -> HttpResponse:
    """Staff draft the progress letter: the form, and with ``maken`` the file itself; a POST
    publishes it (all formats kept exactly, for the public pages)."""
    if not request.user.is_staff:
        raise PermissionDenied(_("Drafting the progress letter is for staff of the programme."))
    if request.method == "POST":
        return _publish_letter(request)
    form = ReportForm(request.GET if "maken" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            report = progress_report(
                as_of=data["as_of"],
                since=data["since"],
                known_at=end_of_day(data["known_at"]) if data["known_at"] else None,
            )
        except ImvoError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            form.describe()
        else:
            lang, fmt = data["lang"], data["format"]
            export = exporter(f"progress.{fmt}").render(report, stem=stem(report, lang), lang=lang)
            return letter_file(export.content, fmt, export.filename, inline=False)
    status = 400 if form.is_bound else 200
    context = {"form": form, "publish_form": PublishForm() if _may_publish(request) else None}
    return render(request, "editors/report.html", context, status=status)


def _may_publish(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("parliament.add_publishedletter"))


def _publish_letter(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("parliament.add_publishedletter"):
        raise PermissionDenied(_("Publishing the progress letter needs the right to publish it."))
    form = PublishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = progress_report(
                as_of=data["as_of"],
                since=data["since"],
                known_at=end_of_day(data["known_at"]) if data["known_at"] else None,
            )
        except ImvoError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            form.describe()
        else:
            letter = published_letter_create(
                data=published_letter_data(report, data["lang"]),
                actor=Actor(reason=data["reason"], user=request.user),
            )
            messages.success(request, _("The progress letter is published."))
            return redirect("public:published_letter", pk=letter.pk)
    return render(
        request,
        "editors/report.html",
        {"form": ReportForm(), "publish_form": form},
        status=400,
    )
