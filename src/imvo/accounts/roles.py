"""The legacy roles (Django groups) for the people who maintain the programme's records.

- ``IMVO-redacteur`` (editor): view, add and change every record of the programme, memberships
  included; delete only what is not history (phase records are never deleted, corrections
  supersede them). The access policy treats it as a *coordinator*.
- ``IMVO-lezer`` (reader): view every record and its history in the admin, change nothing.
  The access policy treats it as a *stakeholder*.

Scoped roles (SER secretariat, sector editor) are memberships (:mod:`imvo.accounts.models`);
what every role may do is decided by :mod:`imvo.accounts.policy`. ``imvo init`` keeps the
groups up to date; running it again changes nothing.
"""

from __future__ import annotations

from django.apps import apps

EDITOR = "IMVO-redacteur"
READER = "IMVO-lezer"

#: The apps whose records the roles cover.
DOMAIN_APPS = (
    "sources",
    "sectors",
    "organisations",
    "risks",
    "initiatives",
    "trajectories",
    "agreements",
)

#: Apps whose records only the editor group handles (memberships: coordinators only).
EDITOR_ONLY_APPS = ("accounts",)

#: Records that are history and are never deleted, not even by an editor.
NEVER_DELETED = {"trajectories.phaserecord"}


def role_permissions() -> dict[str, set[str]]:
    """Group name → permission codenames as ``app_label.codename``."""
    editor: set[str] = set()
    reader: set[str] = set()
    for app_label in DOMAIN_APPS + EDITOR_ONLY_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            name = model._meta.model_name
            if app_label not in EDITOR_ONLY_APPS:
                reader.add(f"{app_label}.view_{name}")
            editor |= {f"{app_label}.{action}_{name}" for action in ("view", "add", "change")}
            if model._meta.label_lower not in NEVER_DELETED:
                editor.add(f"{app_label}.delete_{name}")
    return {EDITOR: editor, READER: reader}


def roles_ensure() -> dict[str, int]:
    """Create or update the standard groups; return the number of permissions per group.

    The write lives in :func:`imvo.accounts.services.roles_ensure` (only services write).
    """
    from imvo.accounts.services import roles_ensure as ensure

    return ensure()
