"""Proposals in the admin: read only. They are decided on the editors' pages (four eyes)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from imvo.proposals.models import ProgressNote, Proposal


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "trajectory", "kind", "status", "proposed_by", "proposed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["trajectory__slug", "reason"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


@admin.register(ProgressNote)
class ProgressNoteAdmin(ProposalAdmin):
    """Read only: progress notes are written through proposals on the editors' pages."""

    list_display = ["trajectory", "period", "recorded_at", "superseded_at"]
    list_filter = ["period"]
    search_fields = ["trajectory__slug", "text_nl", "text_en"]
