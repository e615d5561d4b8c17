"""Memberships in the admin: written through the membership services, with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imvo.accounts import services
from imvo.accounts.models import Membership
from imvo.core.admin import AuditedAdmin, Services


def _update(**kwargs: Any) -> tuple[Membership, bool]:
    # The admin's update contract is (record, changed); membership_update returns the record.
    return services.membership_update(**kwargs), True


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    services = Services(
        create=services.membership_create, update=_update, delete=services.membership_delete
    )
    list_display = ["user", "role", "scope"]
    list_filter = ["role"]
    search_fields = ["user__username", "note"]
    list_select_related = ["user", "organisation", "sector", "trajectory"]

    @admin.display(description=_("scope"))
    def scope(self, obj: Membership) -> str:
        return obj.scope_display
