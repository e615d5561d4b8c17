"""Standard roles (Django groups) for the people who maintain the programme's records.

- ``IMVO-redacteur`` (editor: ministry policy officers, SER secretariat): view, add and change
  every record of the programme; delete only what is not history (phase records are never
  deleted, corrections supersede them).
- ``IMVO-lezer`` (reader: e.g. sector associations, NGOs and unions given an account): view
  every record and its history in the admin, change nothing.

Accounts get a role in the admin (Gebruikers → Groepen). ``imvo init`` keeps the groups up to
date; running it again changes nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission

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

#: Records that are history and are never deleted, not even by an editor.
NEVER_DELETED = {"trajectories.phaserecord"}


def role_permissions() -> dict[str, set[str]]:
    """Group name → permission codenames as ``app_label.codename``."""
    editor: set[str] = set()
    reader: set[str] = set()
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            name = model._meta.model_name
            reader.add(f"{app_label}.view_{name}")
            editor |= {f"{app_label}.{action}_{name}" for action in ("view", "add", "change")}
            if model._meta.label_lower not in NEVER_DELETED:
                editor.add(f"{app_label}.delete_{name}")
    return {EDITOR: editor, READER: reader}


def roles_ensure() -> dict[str, int]:
    """Create or update the standard groups; return the number of permissions per group."""
    counts = {}
    for group_name, codes in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = [
            Permission.objects.get(
                content_type__app_label=code.split(".")[0], codename=code.split(".")[1]
            )
            for code in sorted(codes)
        ]
        if set(group.permissions.all()) != set(wanted):
            group.permissions.set(wanted)
        counts[group_name] = len(wanted)
    return counts
