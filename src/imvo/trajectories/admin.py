from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imvo.core.admin import AuditedAdmin, register
from imvo.trajectories.models import Event, GovernmentAction, Participation, PhaseRecord, Trajectory


class ParticipationInline(admin.TabularInline):
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
    list_display = ["name_nl", "slug"]
    search_fields = ["name_nl", "name_en", "slug"]
    autocomplete_fields = ["source", "sectors", "initiatives"]
    inlines = [ParticipationInline, PhaseRecordInline]


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

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # A correction keeps the fact's identity: its trajectory and key cannot change.
        extra = ["trajectory", "key"] if obj is not None else []
        return [*extra, *self.readonly_fields]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        if obj is not None and obj.superseded_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request: Any, obj: PhaseRecord, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        from imvo.core.audit import Actor
        from imvo.trajectories.services import CORRECTABLE, phase_record_correct

        original = PhaseRecord.objects.get(pk=obj.pk)
        values = {name: getattr(obj, name) for name in CORRECTABLE}
        reason = form.cleaned_data.get("change_reason") or str(_("Correction in the admin"))
        correction = phase_record_correct(
            record=original, values=values, actor=Actor(reason, request.user)
        )
        obj.pk = correction.pk


register(
    Event,
    list_display=["date", "title_nl", "kind", "status"],
    list_filter=["status", "kind", "trajectories"],
    search_fields=["title_nl", "title_en", "key"],
    autocomplete_fields=["source", "trajectories", "organisations"],
    date_hierarchy="date",
)
register(
    GovernmentAction,
    list_display=["title_nl", "role", "status"],
    list_filter=["role", "status"],
    search_fields=["title_nl", "title_en", "key"],
    autocomplete_fields=["source", "trajectories", "organisations"],
)
