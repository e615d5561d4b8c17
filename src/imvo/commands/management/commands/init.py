"""``imvo init``: create or upgrade the database and load the reference data (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.roles import roles_ensure
from imvo.commands.base import ImvoCommand, UserError
from imvo.core.audit import system_user
from imvo.reference.services import DEFAULT_DATA_DIR, reference_data_load


class Command(ImvoCommand):
    help = gettext_lazy(
        "Migrate the database and load the reference data. Running it twice changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help=gettext_lazy(
                "Folder with the reference YAML files (default: the shipped reference data)."
            ),
        )
        parser.add_argument(
            "--skip-data",
            action="store_true",
            help=gettext_lazy("Only migrate; do not load reference data."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        if not data_dir.is_dir():
            raise UserError(_("--data-dir: '%(folder)s' is not a folder") % {"folder": data_dir})
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        roles_ensure()
        self.stdout.write(_("Database is up to date."))
        if not settings.IMVO_REQUIRE_2FA:  # Sign-in (issue 10)
            self.stdout.write(
                _(
                    "two-factor authentication is off (IMVO_REQUIRE_2FA=0): only for a local "
                    "installation with one user"
                )
            )
        if options["skip_data"]:
            return
        report = reference_data_load(data_dir=data_dir, user=system_user())
        if not report.changed:
            self.stdout.write(_("Reference data unchanged."))
            return
        for label in sorted(set(report.created) | set(report.updated)):
            name = apps.get_model(label)._meta.verbose_name_plural
            counts = {
                "created": report.created[label],
                "updated": report.updated[label],
                "unchanged": report.unchanged[label],
            }
            line = _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % counts
            self.stdout.write(f"  {name}: {line}")
        self.stdout.write(_("Reference data loaded."))
