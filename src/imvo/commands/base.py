"""Base class for IMVO's management commands: user mistakes end in one line and exit code 2.

Django's own parser prints a usage block before an argument error; IMVO commands print a
single line naming the command and the argument instead, so that scripts and people see at
once what was wrong. Errors a user can cause are raised as :class:`UserError`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

EXIT_USER_ERROR = 2


class UserError(CommandError):
    """A mistake in the user's input: reported as one line, exit code 2, nothing written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=EXIT_USER_ERROR)


class _OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            sys.stderr.write(f"{self.prog}: error: {message}\n")
            sys.exit(EXIT_USER_ERROR)
        raise CommandError(f"Error: {message}")


class ImvoCommand(BaseCommand):
    """A management command whose argument errors are one line on stderr with exit code 2."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        parser.prog = self._prog = f"imvo {subcommand}"
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not options.get("traceback") and getattr(self, "_called_from_command_line", False):
                sys.stderr.write(f"{getattr(self, '_prog', 'imvo')}: error: {exc}\n")
                sys.exit(exc.returncode)
            raise


def argument_type(parse: Any, name: str) -> Any:
    """Wrap a parse function raising ``ValueError`` as an argparse type with a clear message."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert
