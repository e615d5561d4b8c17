"""``imvo serve``: serve IMVO Monitor with waitress (a production-grade pure-Python WSGI server)."""

from __future__ import annotations

from typing import Any

from imvo.commands.base import ImvoCommand


class Command(ImvoCommand):
    help = "Serve the web application (dashboard, admin) on HOST:PORT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port (default 8000).")
        parser.add_argument("--threads", type=int, default=8, help="Worker threads (default 8).")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from imvo.conf.wsgi import application

        host, port = options["host"], options["port"]
        self.stdout.write(f"IMVO Monitor: http://{host}:{port}/  (admin: /admin/; Ctrl+C stops)")
        serve(application, host=host, port=port, threads=options["threads"], ident="imvo")
