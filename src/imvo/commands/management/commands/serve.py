"""``imvo serve``: serve IMVO Monitor with waitress (a production-grade pure-Python WSGI server).

The port and the thread count are checked before anything starts, and the server binds its
socket before it says it is serving: a port that is taken or a host that does not resolve is
one line naming ``host:port`` with exit code 2, never a traceback.
"""

from __future__ import annotations

import errno
import logging
import socket
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.errors import InvalidValue, gettext_noop

MAX_PORT = 65_535
MAX_THREADS = 64


def _whole_number(text: str, low: int, high: int) -> int:
    try:
        number = int(text)
    except ValueError:
        raise InvalidValue(gettext_noop("'%(text)s' is not a whole number"), text=text) from None
    if not low <= number <= high:
        raise InvalidValue(
            gettext_noop("must be from %(low)s to %(high)s, not %(text)s"),
            low=low,
            high=high,
            text=text,
        )
    return number


def parse_port(text: str) -> int:
    """A TCP port from 1 to 65535."""
    return _whole_number(text, 1, MAX_PORT)


def parse_threads(text: str) -> int:
    """A number of worker threads from 1 to :data:`MAX_THREADS`."""
    return _whole_number(text, 1, MAX_THREADS)


def address(host: str, port: int) -> str:
    """``host:port`` as a URL writes it (IPv6 hosts in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return _("the port is already in use")
    if exc.errno == errno.EADDRNOTAVAIL:
        return _("the address is not on this machine")
    if exc.errno == errno.EACCES:
        return _("permission denied (ports below 1024 need privileges)")
    return exc.strerror or str(exc)


class Command(ImvoCommand):
    help = gettext_lazy("Serve the web application (dashboard, admin) on HOST:PORT.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help=gettext_lazy("Interface (default 127.0.0.1).")
        )
        parser.add_argument(
            "--port",
            type=argument_type(parse_port, "port"),
            default=8000,
            help=format_lazy(gettext_lazy("Port, from 1 to {high} (default 8000)."), high=MAX_PORT),
        )
        parser.add_argument(
            "--threads",
            type=argument_type(parse_threads, "threads"),
            default=8,
            help=format_lazy(
                gettext_lazy("Worker threads, from 1 to {high} (default 8)."), high=MAX_THREADS
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress.server import create_server

        from imvo.conf.wsgi import application

        host, port = options["host"], options["port"]
        where = address(host, port)
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except (socket.gaierror, UnicodeError):
            raise UserError(
                _("cannot listen on %(where)s: unknown host") % {"where": where}, field="host"
            ) from None
        try:
            # Binds the socket now, so that nothing is announced when it cannot listen.
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="imvo"
            )
        except OSError as exc:
            raise UserError(
                _("cannot listen on %(where)s: %(reason)s")
                % {"where": where, "reason": _reason(exc)}
            ) from None
        except ValueError:
            raise UserError(
                _("cannot listen on %(where)s: unknown host") % {"where": where}, field="host"
            ) from None
        logging.basicConfig()
        self.stdout.write(
            _("IMVO Monitor: http://%(where)s/  (admin: /admin/; Ctrl+C stops)") % {"where": where}
        )
        server.run()  # Ctrl+C stops it (waitress handles the interrupt)
