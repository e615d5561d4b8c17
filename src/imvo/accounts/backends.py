"""Django permissions from the access policy, for channels that ask ``user.has_perm``.

The admin asks model-level questions ("may this user change phase records at all?") before it
asks the policy about one record. With this backend in ``AUTHENTICATION_BACKENDS`` (next to
``ModelBackend``, which keeps serving the legacy groups), a membership alone is enough: a
coordinator needs no group, an SER secretariat member sees the records it may change.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.backends import BaseBackend

from imvo.accounts import policy


def model_allows(user: Any, action: str, model: Any) -> bool:
    """Whether ``user`` may ``action`` (view, add, change, delete) some record of ``model``."""
    access = policy.access_of(user)
    label = model._meta.label_lower
    if access.superuser:
        return True
    if not policy._covered(label):
        return False
    if action == "add":
        return policy.can_add(user, model)
    if access.edits_all:
        return action != "delete" or (access.deletes and label not in policy.NEVER_DELETED)
    if action == "view":
        return access.reads_drafts and label != policy.MEMBERSHIP
    if action == "change":
        return label in policy.TRAJECTORY_BOUND and bool(access.trajectory_ids)
    return False


_OBJECT_QUESTIONS = {
    "view": policy.can_view,
    "change": policy.can_edit,
    "delete": policy.can_delete,
    "add": lambda user, obj: policy.can_add(user, type(obj)) and policy.can_edit(user, obj),
}


class PolicyBackend(BaseBackend):
    """Answers ``app_label.<action>_<model>`` for the programme's records from the policy."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        if action not in _OBJECT_QUESTIONS:
            return False
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return False
        if obj is not None:
            return _OBJECT_QUESTIONS[action](user_obj, obj)
        return model_allows(user_obj, action, model)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        try:
            models = apps.get_app_config(app_label).get_models()
        except LookupError:
            return False
        return any(
            model_allows(user_obj, "view", m)
            for m in models
            if not m.__name__.startswith("Historical")
        )
