from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imvo.core.admin import AuditedAdmin, ServiceInline, Services, register
from imvo.core.audit import Actor
from imvo.trajectories import services as trajectory_services
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory


class ParticipationInline(ServiceInline, admin.TabularInline):
    services = Services.of(trajectory_services, "participation")
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation", "source"]


class PhaseRecordInline(admin.TabularInline):
    """Read-only: phase history changes through 'phase records', where corrections supersede."""

    model = PhaseRecord
    fk_name = "trajectory"
    extra = 0
    can_delete = False
    fields = [
        "phase",
        "valid_from",
        "valid_from_precision",
        "date_basis",
        "recorded_at",
        "superseded_at",
        "source",
    ]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Trajectory)
class TrajectoryAdmin(AuditedAdmin):
    services = Services.of(trajectory_services, "trajectory")
    list_display = ["name_nl", "slug"]
    search_fields = ["name_nl", "name_en", "slug"]
    autocomplete_fields = ["source", "sectors", "initiatives"]
    inlines = [ParticipationInline, PhaseRecordInline]


def _phase_record_new(*, data: dict[str, Any], actor: Actor) -> PhaseRecord:
    values = dict(data)
    trajectory, key = values.pop("trajectory"), values.pop("key")
    return trajectory_services.phase_record_create(
        trajectory=trajectory, key=key, values=values, actor=actor
    )


def _phase_record_correction(
    *, phase_record: PhaseRecord, data: dict[str, Any], actor: Actor
) -> tuple[PhaseRecord, bool]:
    return trajectory_services.phase_record_correct(
        record=phase_record, values=data, actor=actor
    ), True


@admin.register(PhaseRecord)
class PhaseRecordAdmin(AuditedAdmin):
    """Phase facts are append-only. Editing a current record saves a correction that
    supersedes it; superseded records cannot be edited or deleted."""

    list_display = [
        "trajectory",
        "phase",
        "valid_from",
        "valid_from_precision",
        "recorded_at",
        "superseded_at",
    ]
    list_filter = ["phase", "trajectory", ("superseded_at", admin.EmptyFieldListFilter)]
    search_fields = ["trajectory__slug", "key"]
    autocomplete_fields = ["trajectory", "source"]
    readonly_fields = ["recorded_at", "superseded_at", "supersedes"]
    shows_superseded = True  # the phase history is the point of this list

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # A correction keeps the fact's identity: its trajectory and key cannot change.
        extra = ["trajectory", "key"] if obj is not None else []
        return [*extra, *self.readonly_fields]

    # Phase records are history: never deleted, corrections supersede them.
    services = Services(create=_phase_record_new, update=_phase_record_correction, delete=None)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.superseded_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: Any, obj: PhaseRecord, form: Any, change: bool) -> None:
        """A change of a current record is saved as a correction that supersedes it."""
        values = {name: form.cleaned_data[name] for name in trajectory_services.CORRECTABLE}
        if not change:
            values.update(trajectory=form.cleaned_data["trajectory"], key=form.cleaned_data["key"])
        reason = form.cleaned_data.get("change_reason") or str(_("Correction in the admin"))
        saved = self.write(
            action="update" if change else "create",
            obj=obj,
            data=values,
            actor=Actor(reason, request.user),
        )
        obj.pk = saved.pk
        obj._state.adding = False


register(
    Event,
    trajectory_services,
    list_display=["date", "title_nl", "kind", "status"],
    list_filter=["status", "kind", "trajectories"],
    search_fields=["title_nl", "title_en", "key"],
    autocomplete_fields=["source", "trajectories", "organisations"],
    date_hierarchy="date",
)
register(
    GovernmentAction,
    trajectory_services,
    list_display=["title_nl", "role", "status"],
    list_filter=["role", "status"],
    search_fields=["title_nl", "title_en", "key"],
    autocomplete_fields=["source", "trajectories", "organisations"],
)
