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

from imvo.commands.base import ImvoCommand, UserError, argument_type

MAX_PORT = 65_535
MAX_THREADS = 64


def _whole_number(text: str, low: int, high: int) -> int:
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None
    if not low <= number <= high:
        raise ValueError(f"must be from {low} to {high}, not {text}")
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
        return "the port is already in use"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "the address is not on this machine"
    if exc.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges)"
    return exc.strerror or str(exc)


class Command(ImvoCommand):
    help = "Serve the web application (dashboard, admin) on HOST:PORT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface (default 127.0.0.1).")
        parser.add_argument(
            "--port",
            type=argument_type(parse_port, "port"),
            default=8000,
            help=f"Port, from 1 to {MAX_PORT} (default 8000).",
        )
        parser.add_argument(
            "--threads",
            type=argument_type(parse_threads, "threads"),
            default=8,
            help=f"Worker threads, from 1 to {MAX_THREADS} (default 8).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress.server import create_server

        from imvo.conf.wsgi import application

        host, port = options["host"], options["port"]
        where = address(host, port)
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except (socket.gaierror, UnicodeError):
            raise UserError(f"cannot listen on {where}: unknown host", field="host") from None
        try:
            # Binds the socket now, so that nothing is announced when it cannot listen.
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="imvo"
            )
        except OSError as exc:
            raise UserError(f"cannot listen on {where}: {_reason(exc)}") from None
        except ValueError:
            raise UserError(f"cannot listen on {where}: unknown host", field="host") from None
        logging.basicConfig()
        self.stdout.write(f"IMVO Monitor: http://{where}/  (admin: /admin/; Ctrl+C stops)")
        server.run()  # Ctrl+C stops it (waitress handles the interrupt)
