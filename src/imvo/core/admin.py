"""Admin building blocks: every change made in the admin states its reason and is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        help_text=_("Recorded in the audit trail with your name and the old and new values."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


class AuditedAdmin(SimpleHistoryAdmin):
    """Model admin with history view and a required reason for every add or change."""

    form = ReasonForm

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        names = [f for _, opts in fieldsets for f in opts.get("fields", ())]
        if "change_reason" not in names:
            fieldsets.append((_("Audit"), {"fields": ["change_reason"]}))
        return fieldsets

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        fields = [f for f in super().get_fields(request, obj) if f != "change_reason"]
        return fields

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. participations) carry the same user and reason as their parent."""
        reason = form.cleaned_data.get("change_reason", "")
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()
        formset.save_m2m()

    def delete_model(self, request: Any, obj: Any) -> None:
        obj._change_reason = _("Deleted in the admin by %(user)s") % {"user": request.user}
        obj._history_user = request.user
        super().delete_model(request, obj)


def register(model: Any, **options: Any) -> type[AuditedAdmin]:
    """Register ``model`` with an :class:`AuditedAdmin` configured by ``options``."""
    admin_class = type(f"{model.__name__}Admin", (AuditedAdmin,), options)
    admin.site.register(model, admin_class)
    return admin_class
