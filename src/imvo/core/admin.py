"""Admin building blocks: the admin is one more channel over the domain services.

Every add, change and delete made in the admin states its reason and goes through the
entity's services (``<entity>_create``, ``<entity>_update``, ``<entity>_delete``), so it is
validated and audited exactly like a write from the reference loader or a command. Inline rows
(e.g. participations of a trajectory) go through their own services with the parent's user and
reason. Who may change which record is decided by the one access policy
(``settings.IMVO_ACCESS_POLICY``, :mod:`imvo.accounts.policy`), looked up by name so that this
shared mechanism does not import the layer above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from imvo.core.audit import Actor
from imvo.core.errors import ImvoError
from imvo.core.services import describe_dependents, entity_name, model_dependents


@dataclass(frozen=True)
class Services:
    """The write services of one entity; update and delete take the record by the entity's
    name (``sector_update(sector=…)``)."""

    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any] | None = None

    @classmethod
    def of(cls, module: Any, entity: str, *, delete: bool = True) -> Services:
        """``<entity>_create``, ``<entity>_update`` and ``<entity>_delete`` of ``module``."""
        return cls(
            create=getattr(module, f"{entity}_create"),
            update=getattr(module, f"{entity}_update"),
            delete=getattr(module, f"{entity}_delete") if delete else None,
        )


@cache
def policy() -> Any:
    return import_string(settings.IMVO_ACCESS_POLICY)


def form_data(form: forms.ModelForm, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The model fields of a valid form as a service's ``data`` (many-to-many included)."""
    model = form._meta.model
    names = {f.name for f in model._meta.concrete_fields} | {
        f.name for f in model._meta.many_to_many
    }
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in names and name not in exclude and name in form.fields
    }


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        help_text=_("Recorded in the audit trail with your name and the old and new values."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


#: Knowledge-time bookkeeping of bitemporal records: set by the services, never typed in.
BOOKKEEPING = ("recorded_at", "superseded_at", "supersedes")


class ServiceBacked:
    """Permissions from the access policy, writes through the entity's services."""

    services: Services | None = None

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        names = {f.name for f in self.model._meta.fields}  # type: ignore[attr-defined]
        return [*fields, *(f for f in BOOKKEEPING if f in names and f not in fields)]

    def get_queryset(self, request: Any) -> Any:
        # Superseded records of bitemporal entities stay in their history, not in the lists.
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if "superseded_at" in {f.name for f in queryset.model._meta.fields} and not getattr(
            self, "shows_superseded", False
        ):
            queryset = queryset.filter(superseded_at__isnull=True)
        return queryset

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or policy().can_edit(request.user, obj))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        if self.services is None or self.services.delete is None:
            return False
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or policy().can_delete(request.user, obj))

    def write(self, *, action: str, obj: Any, data: dict[str, Any], actor: Actor) -> Any:
        """Call the service for ``action`` (create, update or delete); return the record."""
        services = self.services
        if services is None:
            raise ImproperlyConfiguredAdmin(type(self).__name__)
        model = type(obj)
        if action == "create":
            return services.create(data=data, actor=actor)
        original = model._default_manager.get(pk=obj.pk)
        if action == "update":
            return services.update(**{entity_name(model): original, "data": data, "actor": actor})[
                0
            ]
        remove = services.delete
        assert remove is not None, "has_delete_permission refuses deletes without a service"
        remove(**{entity_name(model): original, "actor": actor})
        return original


class ImproperlyConfiguredAdmin(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} writes records but names no services")


def _adopt(obj: Any, saved: Any) -> None:
    """Let the admin's in-memory object stand for the record the service saved."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


def service_refusal_form(form: type[forms.ModelForm], refusal: Exception) -> Any:
    """``form`` that also shows ``refusal``: what a service refused after the form was valid
    (a rule that needs the database, such as a signing without its agreement)."""

    class WithRefusal(form):  # type: ignore[misc,valid-type]
        def clean(self) -> Any:
            data = super().clean()
            if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
                for field, errors in refusal.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            elif isinstance(refusal, ValidationError):
                self.add_error(None, refusal.messages)
            else:
                for problem in getattr(refusal, "problems", ()):
                    field = problem.field if problem.field in self.fields else None
                    self.add_error(field, problem.message)
            return data

    WithRefusal.__name__ = form.__name__
    return WithRefusal


class AuditedAdmin(ServiceBacked, SimpleHistoryAdmin):
    """Model admin with history view, a required reason and service-backed writes.

    A write the service refuses (``ValidationError`` or :class:`ImvoError`) is rolled back
    and the form is shown again with what was typed and the service's message, as for any
    other invalid input, never a server error."""

    form = ReasonForm

    def changeform_view(
        self, request: Any, object_id: Any = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, ImvoError) as refusal:
            if request.method != "POST" or getattr(request, "_imvo_refusal", None) is not None:
                raise
            # The admin's transaction is rolled back: answer again, with the refusal on the form.
            request._imvo_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_imvo_refusal", None)
        return form if refusal is None else service_refusal_form(form, refusal)

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        names = [f for _, opts in fieldsets for f in opts.get("fields", ())]
        if "change_reason" not in names:
            fieldsets.append((_("Audit"), {"fields": ["change_reason"]}))
        return fieldsets

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        return [f for f in super().get_fields(request, obj) if f != "change_reason"]

    def has_add_permission(self, request: Any) -> bool:
        allowed = super().has_add_permission(request)
        return allowed and policy().can_add(request.user, self.model)

    @staticmethod
    def actor(request: Any, form: Any) -> Actor:
        return Actor(reason=form.cleaned_data.get("change_reason", ""), user=request.user)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change and not policy().can_edit(request.user, obj):
            # The stored record was editable, the changed one (e.g. moved to another
            # trajectory) is not: refuse rather than hand the record to someone else's scope.
            raise PermissionDenied
        saved = self.write(
            action="update" if change else "create",
            obj=obj,
            data=form_data(form),
            actor=self.actor(request, form),
        )
        _adopt(obj, saved)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many values went through the service in save_model; inline rows follow here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Inline rows go through their own services with the parent's user and reason."""
        actor = self.actor(request, form)
        inline = next(
            (i for i in self.get_inline_instances(request) if i.model is formset.model), None
        )
        backed = inline if isinstance(inline, ServiceBacked) else None
        parent_field = formset.fk.name
        # What the admin's change message and history list report about the inline rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() and row not in formset.deleted_forms:
                continue
            if backed is None:
                raise ImproperlyConfiguredAdmin(type(inline).__name__)
            obj = row.instance
            if row in formset.deleted_forms:
                if obj.pk is not None:
                    backed.write(action="delete", obj=obj, data={}, actor=actor)
                    formset.deleted_objects.append(obj)
                continue
            data = {**form_data(row, exclude=("id",)), parent_field: formset.instance}
            action = "update" if obj.pk else "create"
            _adopt(obj, backed.write(action=action, obj=obj, data=data, actor=actor))
            if action == "create":
                formset.new_objects.append(obj)
            else:
                formset.changed_objects.append((obj, row.changed_data))

    def get_deleted_objects(self, objs: Any, request: Any) -> Any:
        """The admin's delete page lists the records that refer to each one as protected."""
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            dependents = model_dependents(obj)
            if dependents:
                protected = [*protected, f"{obj}: {describe_dependents(dependents)}"]
        return deleted, counts, perms, protected

    def delete_model(self, request: Any, obj: Any) -> None:
        reason = gettext_now("Deleted in the admin by %(user)s") % {"user": request.user}
        self.write(action="delete", obj=obj, data={}, actor=Actor(reason, request.user))

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            try:
                self.delete_model(request, obj)
            except ImvoError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)


class ServiceInline(ServiceBacked):
    """Mixin for inlines whose rows are written through their entity's services."""


def register(model: Any, services: Any, **options: Any) -> type[AuditedAdmin]:
    """Register ``model`` with an :class:`AuditedAdmin` writing through the ``<entity>_…``
    functions of the ``services`` module."""
    attrs = {"services": Services.of(services, entity_name(model)), **options}
    admin_class = type(f"{model.__name__}Admin", (AuditedAdmin,), attrs)
    admin.site.register(model, admin_class)
    return admin_class
