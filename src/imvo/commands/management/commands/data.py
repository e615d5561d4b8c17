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
    help = (
        "Gegevens van de sectorrisicoanalyse tonen en eigen gegevens inlezen / list the SRA "
        "data pack and import user data. Actions: list, formats, import NAME FILE, remove NAME."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("list", "formats", "import", "remove"))
        parser.add_argument("name", nargs="?", help=f"user data kind: {', '.join(USER_KINDS)}")
        parser.add_argument("file", nargs="?", help="CSV file to import (UTF-8, header row)")
        parser.add_argument(
            "--attribution", action="store_true", help="list: also print attributions"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, name, file = options["action"], options["name"], options["file"]
        if action in ("list", "formats") and (name or file):
            raise UserError(f"{action}: takes no further arguments")
        if action == "list":
            self._list(attribution=options["attribution"])
        elif action == "formats":
            self.stdout.write(describe_formats())
        elif action == "import":
            if not name or not file:
                raise UserError("import: give NAME and FILE, e.g. 'imvo data import imports x.csv'")
            self._import(name, Path(file))
        else:
            if not name or file:
                raise UserError("remove: give only NAME, e.g. 'imvo data remove ti_cpi'")
            self._check_kind(name)
            removed = remove_user_data(kind=name, directory=userdata_dir())
            self.stdout.write(f"{name}: {'removed' if removed else 'nothing stored'}")

    @staticmethod
    def _check_kind(name: str) -> None:
        if name not in USER_KINDS:
            raise UserError(f"unknown data kind {name!r} (known: {', '.join(USER_KINDS)})")

    def _list(self, *, attribution: bool) -> None:
        pack = load_pack()
        stored = load_user_data(directory=userdata_dir())
        rows = [("dataset", "edition", "licence", "rows", "status")]
        for d in list_descriptors():
            rows.append((d.id, d.edition, d.licence, str(len(pack[d.id].frame)), "shipped"))
        for kind, item in stored.imports.items():
            rows.append(
                (
                    f"user:{kind}",
                    f"imported {item.imported_at} from {item.source_file}",
                    "user-supplied, not redistributed",
                    str(item.rows),
                    "user import",
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
        self.stdout.write(f"\nuser data in {userdata_dir()}; not imported: {', '.join(missing)}")

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
                self.stderr.write(f"… {len(exc.issues) - MAX_LISTED_ISSUES} more")
            raise
        self.stdout.write(
            f"{name}: {stored.rows} rows imported from {path.name} into {userdata_dir()}; "
            "they take part in the next 'imvo sra' run"
        )
