"""``imvo data``: list the SRA data pack and manage user-supplied data.

    imvo data list [--attribution]   every dataset with edition, licence and row count
    imvo data formats                accepted user-data formats
    imvo data import NAME FILE       validate FILE and store it (all-or-nothing)
    imvo data remove NAME            delete stored user data

User data is stored under ``settings.VAR_DIR / "userdata"`` (never in the package) and takes
part in the next ``imvo sra`` run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from imvo.commands.base import ImvoCommand, UserError
from imvo.core.errors import DataError
from imvo.opendata import list_descriptors, load_pack
from imvo.opendata.userdata import (
    USER_KINDS,
    describe_formats,
    import_user_data,
    load_user_data,
    remove_user_data,
)
from imvo.risks.selectors import nace_divisions, userdata_dir

MAX_LISTED_ISSUES = 200


class Command(ImvoCommand):
    help = gettext_lazy(
        "List the SRA data pack and import your own data. "
        "Actions: list, formats, import NAME FILE, remove NAME."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("list", "formats", "import", "remove"))
        parser.add_argument(
            "name",
            nargs="?",
            help=format_lazy(gettext_lazy("user data kind: {kinds}"), kinds=", ".join(USER_KINDS)),
        )
        parser.add_argument(
            "file", nargs="?", help=gettext_lazy("CSV file to import (UTF-8, header row)")
        )
        parser.add_argument(
            "--attribution", action="store_true", help=gettext_lazy("list: also print attributions")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, name, file = options["action"], options["name"], options["file"]
        if action in ("list", "formats") and (name or file):
            raise UserError(_("%(action)s: takes no further arguments") % {"action": action})
        if action == "list":
            self._list(attribution=options["attribution"])
        elif action == "formats":
            self.stdout.write(describe_formats())
        elif action == "import":
            if not name or not file:
                raise UserError(
                    _("import: give NAME and FILE, e.g. 'imvo data import imports x.csv'")
                )
            self._import(name, Path(file))
        else:
            if not name or file:
                raise UserError(_("remove: give only NAME, e.g. 'imvo data remove ti_cpi'"))
            self._check_kind(name)
            removed = remove_user_data(kind=name, directory=userdata_dir())
            outcome = _("removed") if removed else _("nothing stored")
            self.stdout.write(f"{name}: {outcome}")

    @staticmethod
    def _check_kind(name: str) -> None:
        if name not in USER_KINDS:
            raise UserError(
                _("unknown data kind '%(name)s' (known: %(known)s)")
                % {"name": name, "known": ", ".join(USER_KINDS)}
            )

    def _list(self, *, attribution: bool) -> None:
        pack = load_pack()
        stored = load_user_data(directory=userdata_dir())
        rows = [(_("dataset"), _("edition"), _("licence"), _("rows"), _("status"))]
        for d in list_descriptors():
            rows.append((d.id, d.edition, d.licence, str(len(pack[d.id].frame)), _("shipped")))
        for kind, item in stored.imports.items():
            rows.append(
                (
                    f"user:{kind}",
                    _("imported %(when)s from %(file)s")
                    % {"when": item.imported_at, "file": item.source_file},
                    _("user-supplied, not redistributed"),
                    str(item.rows),
                    _("user import"),
                )
            )
        widths = [min(max(len(r[i]) for r in rows), 48) for i in range(4)]
        for row in rows:
            cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(4)]
            self.stdout.write("  ".join([*cells, row[4]]).rstrip())
        if attribution:
            self.stdout.write("")
            for d in list_descriptors():
                self.stdout.write(f"{d.id}: {d.attribution}")
        missing = [k for k in USER_KINDS if k not in stored.imports]
        self.stdout.write(
            "\n"
            + _("user data in %(folder)s; not imported: %(kinds)s")
            % {"folder": userdata_dir(), "kinds": ", ".join(missing)}
        )

    def _import(self, name: str, path: Path) -> None:
        self._check_kind(name)
        try:
            stored = import_user_data(
                kind=name, source=path, directory=userdata_dir(), nace_codes=nace_divisions()
            )
        except DataError as exc:
            # The row issues first, then the one-line error (ImvoCommand, exit code 2).
            for issue in exc.issues[:MAX_LISTED_ISSUES]:
                self.stderr.write(str(issue))
            if len(exc.issues) > MAX_LISTED_ISSUES:
                more = len(exc.issues) - MAX_LISTED_ISSUES
                self.stderr.write(
                    ngettext("… %(count)s more", "… %(count)s more", more) % {"count": more}
                )
            raise
        self.stdout.write(
            ngettext(
                "%(name)s: %(rows)s row imported from %(file)s into %(folder)s; "
                "it takes part in the next 'imvo sra' run",
                "%(name)s: %(rows)s rows imported from %(file)s into %(folder)s; "
                "they take part in the next 'imvo sra' run",
                stored.rows,
            )
            % {"name": name, "rows": stored.rows, "file": path.name, "folder": userdata_dir()}
        )
