"""``imvo serve``: serve IMVO Monitor with waitress (a production-grade pure-Python WSGI server).

The port, the thread count and the connection limits are checked before anything starts, and
the server binds its socket before it says it is serving: a port that is taken or a host that
does not resolve is one line naming ``host:port`` with exit code 2, never a traceback.

**Hostile clients.** Waitress's own defaults (100 connections, an idle connection kept for
120 s, headers up to 256 kB, bodies up to 1 GB) let about 110 clients that connect and send
nothing lock everyone else out for two minutes. ``imvo serve`` sets its own limits
(:data:`LIMITS`): each is an option with a default that the environment variable beside it may
change, and each is checked like ``--port``. Waitress waits on its sockets with ``poll()``,
not ``select()``, which breaks above 1024 open files, and the process's limit of open files
is raised to what the connection limit needs. See ``docs/operations/deployment.md``.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.commands.base import ImvoCommand, UserError, argument_type
from imvo.core.errors import InvalidValue, gettext_noop
from imvo.core.i18n import message

MAX_PORT = 65_535
MAX_THREADS = 64
#: Open files the process needs besides one per connection (database, logs, the trigger pipe).
SPARE_FILES = 64
#: The proxy headers waitress believes when they come from ``--trusted-proxy``.
TRUSTED_PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto"}


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


def parse_proxy(text: str) -> str:
    """The IP address of the reverse proxy whose ``X-Forwarded-*`` headers are believed."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise InvalidValue(
            gettext_noop("'%(text)s' is not an IP address (e.g. 127.0.0.1 or ::1)"), text=text
        ) from None


@dataclass(frozen=True)
class Limit:
    """One of waitress's limits: its option, environment variable, default and range."""

    name: str  # waitress's adjustment, and the option without dashes
    env: str
    default: int
    low: int
    high: int
    help: Promise

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")

    def parse(self, text: str) -> int:
        return _whole_number(text, self.low, self.high)


LIMITS = (
    Limit(
        "connection_limit",
        "IMVO_SERVE_CONNECTION_LIMIT",
        1_000,
        10,
        100_000,
        gettext_lazy("Most client connections open at once; more wait to be accepted."),
    ),
    Limit(
        "channel_timeout",
        "IMVO_SERVE_CHANNEL_TIMEOUT",
        30,
        1,
        3_600,
        gettext_lazy("Seconds a connection may stay silent before it is closed."),
    ),
    Limit(
        "cleanup_interval",
        "IMVO_SERVE_CLEANUP_INTERVAL",
        10,
        1,
        3_600,
        gettext_lazy("Seconds between two looks for silent connections to close."),
    ),
    Limit(
        "recv_bytes",
        "IMVO_SERVE_RECV_BYTES",
        8_192,
        1_024,
        1_048_576,
        gettext_lazy("Bytes read from a connection at a time."),
    ),
    Limit(
        "max_request_header_size",
        "IMVO_SERVE_MAX_REQUEST_HEADER_SIZE",
        65_536,
        1_024,
        1_048_576,
        gettext_lazy("Largest request line and headers, in bytes (larger: 431)."),
    ),
    Limit(
        "max_request_body_size",
        "IMVO_SERVE_MAX_REQUEST_BODY_SIZE",
        20_971_520,
        1_024,
        1_073_741_824,
        gettext_lazy("Largest request body, in bytes (larger: 413)."),
    ),
)


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


def _from_environment(name: str, parse: Any) -> Any:
    """The value of the environment variable ``name`` read by ``parse``, or ``None`` if unset."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise UserError(f"{name}: {message(exc)}") from None


def server_limits(options: dict[str, Any]) -> dict[str, int]:
    """Waitress's limits: the option if given, else its environment variable, else the default."""
    limits = {}
    for limit in LIMITS:
        value = options.get(limit.name)
        if value is None:
            value = _from_environment(limit.env, limit.parse)
        limits[limit.name] = limit.default if value is None else value
    return limits


def ensure_open_files(needed: int) -> None:
    """Raise the soft limit of open files to ``needed`` where the hard limit allows it."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise UserError(
            _(
                "%(needed)s connections need %(files)s open files, but this system allows "
                "%(hard)s (ulimit -n): lower --connection-limit or raise the limit"
            )
            % {"needed": needed - SPARE_FILES, "files": needed, "hard": hard},
            field="connection_limit",
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


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
        for limit in LIMITS:
            parser.add_argument(
                limit.option,
                type=argument_type(limit.parse, limit.name),
                default=None,
                metavar="N",
                help=format_lazy(
                    "{text} {range}",
                    text=limit.help,
                    range=format_lazy(
                        gettext_lazy("From {low} to {high}; default {default}, or {env}."),
                        low=limit.low,
                        high=limit.high,
                        default=limit.default,
                        env=limit.env,
                    ),
                ),
            )
        parser.add_argument(
            "--trusted-proxy",
            type=argument_type(parse_proxy, "trusted_proxy"),
            default=None,
            metavar="ADDRESS",
            help=gettext_lazy(
                "IP address of the reverse proxy whose X-Forwarded-For and X-Forwarded-Proto "
                "headers are believed (default: none, or IMVO_TRUSTED_PROXY)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress.server import create_server

        from imvo.conf.wsgi import application

        host, port = options["host"], options["port"]
        limits = server_limits(options)
        proxy = options["trusted_proxy"] or _from_environment("IMVO_TRUSTED_PROXY", parse_proxy)
        where = address(host, port)
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        except (socket.gaierror, UnicodeError):
            raise UserError(
                _("cannot listen on %(where)s: unknown host") % {"where": where}, field="host"
            ) from None
        ensure_open_files(limits["connection_limit"] + SPARE_FILES)
        proxying: dict[str, Any] = {}
        if proxy:
            proxying = {
                "trusted_proxy": proxy,
                "trusted_proxy_headers": TRUSTED_PROXY_HEADERS,
                "clear_untrusted_proxy_headers": True,
            }
        try:
            # Binds the socket now, so that nothing is announced when it cannot listen.
            server = create_server(
                application,
                host=host,
                port=port,
                threads=options["threads"],
                ident="imvo",
                # select() cannot watch more than 1024 open files; poll() can.
                asyncore_use_poll=True,
                **limits,
                **proxying,
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
