"""Base class for IMVO's management commands: user mistakes end in one line and exit code 2.

Django's own parser prints a usage block before an argument error; IMVO commands print a
single line naming the command and the argument instead, so that scripts and people see at
once what was wrong. Every :class:`~imvo.core.errors.ImvoError` raised below a command (by a
service, a selector or an engine) is reported the same way, and so is a database that is not
initialised or cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from imvo.core.errors import ImvoError

EXIT_USER_ERROR = 2
NO_DATABASE = (
    "the database cannot be read: is it reachable (DATABASE_URL) and initialised ('imvo init')?"
)


class UserError(ImvoError):
    """A mistake in a command's arguments: one line, exit code 2, nothing written."""

    code = "invalid_argument"


class _OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            sys.stderr.write(f"{self.prog}: error: {message}\n")
            sys.exit(EXIT_USER_ERROR)
        raise CommandError(f"Error: {message}")


class ImvoCommand(BaseCommand):
    """A management command whose user errors are one line on stderr with exit code 2."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        parser.prog = self._prog = f"imvo {subcommand}"
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            try:
                return super().execute(*args, **options)
            except ImvoError as exc:
                message = str(exc)
                if exc.field and not message.startswith("-"):
                    message = f"--{exc.field.replace('_', '-')}: {message}"
                raise CommandError(message, returncode=EXIT_USER_ERROR) from exc
            except DatabaseError as exc:
                raise CommandError(NO_DATABASE, returncode=EXIT_USER_ERROR) from exc
        except CommandError as exc:
            if not options.get("traceback") and getattr(self, "_called_from_command_line", False):
                self._fail(str(exc), exc.returncode)
            raise

    def _fail(self, message: str, returncode: int) -> NoReturn:
        sys.stderr.write(f"{getattr(self, '_prog', 'imvo')}: error: {message}\n")
        sys.exit(returncode)

    def emit(self, output: str | bytes, target: str | None) -> None:
        """Write ``output`` to the file ``target`` (``--output``), or to standard output."""
        if target:
            path = Path(target)
            try:
                if isinstance(output, bytes):
                    path.write_bytes(output)
                else:
                    path.write_text(output, encoding="utf-8")
            except OSError as exc:
                raise UserError(
                    f"--output {path}: cannot write ({exc.strerror})", field="output"
                ) from None
            return
        if isinstance(output, bytes):
            output = output.decode("utf-8")
        self.stdout.write(output, ending="")


def argument_type(parse: Any, name: str) -> Any:
    """Wrap a parse function raising ``ValueError`` as an argparse type with a clear message."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert
