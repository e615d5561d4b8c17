"""Benchmark of the web server: public pages, a signed-in editor's pages and ten concurrent
writers against a static file, 50 clients on loopback, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/web.py                      # about 2 min on 2 cores
    .venv/bin/python benchmarks/web.py --quick              # about 1 min (more when busy)
    .venv/bin/python benchmarks/web.py --database postgres  # the same on PostgreSQL
    .venv/bin/python benchmarks/web.py --writers 0          # the mix without writers
    .venv/bin/python benchmarks/web.py --no-page-cache      # pages rendered every time

**The installation.** A fresh one in a temporary folder: ``imvo init`` migrates and loads the
shipped reference data, the full history of the programme (every trajectory, phase record,
event and participation since 2014; ``web_history_*`` says what was loaded). On SQLite
(``--database sqlite``, the default) the database is a file in that folder. With
``--database postgres`` (the default when ``DATABASE_URL`` is a ``postgres://`` URL) a fresh
database ``imvo_bench_…`` is created on the server of ``DATABASE_URL`` (its database name is
not used: the benchmark writes) or else of ``postgres://postgres@127.0.0.1:5432/``, and dropped
at the end. ``imvo user create … --password-stdin`` adds the accounts: ``bench-editor`` (sector
editor of textile: edits one trajectory), ``bench-coordinator`` (edits all) and one sector
editor of textile per writer, ``bench-writer-01`` … (four at a time).

**The server.** ``imvo serve`` (``--threads``, default 8 as ``imvo serve`` itself) on a free
loopback port as a subprocess, with ``IMVO_REQUIRE_2FA=0`` (the documented setting for a local
installation): a password signs an editor in, no TOTP step. The benchmark signs in through the
sign-in page as a browser does (GET ``/account/inloggen/`` for the CSRF cookie and the form's
``csrfmiddlewaretoken``, POST user name and password with Referer and Origin; a 302 to
``/redactie/`` is success, and the ``sessionid`` cookie is kept). A failed sign-in stops the
benchmark and is never retried, so that it cannot lock an account (django-axes locks after 11
failures). The server is stopped at the end, also on an error or Ctrl+C.

**The clients.** asyncio in this process, one keep-alive HTTP/1.1 connection per client. Public
pages and the static file are asked without cookies: every request is a new anonymous visitor
(answered from the page cache once warm). The editor's pages are asked with a session of
``bench-editor``: ``EDITOR_SESSIONS`` (5) sessions, each signed in separately, shared
round-robin by the clients (client *i* uses session *i* mod 5; a session costs the server the
same per request whoever holds it, and 50 sign-ins would only add password hashing).

**1. Pages, in rounds.** After a warm-up of every target, each target is asked by ``--clients``
concurrent clients for ``--seconds``, in ``--rounds`` rounds over all targets so that a change
in the machine's load falls on every target alike. The targets: the overview, a trajectory
page, the heat map, a division page (public), the editor's home ``/redactie/`` and a form page
``/redactie/trajecten/textile/fase/`` (signed in, never cached), and a static file of the same
server: the limit of this stack (waitress, Django's WSGI handler, WhiteNoise) on this machine.

**2. The mix.** For ``--mix-seconds`` the same ``--clients`` readers ask the six pages (client
*n* the page *n* mod 6, public ones without cookies, the editor's with a session) while
``--writers`` writer clients (10), each signed in as its own ``bench-writer-NN``, submit
progress notes for textile one after the other: GET
``/redactie/trajecten/textile/voortgang/`` (the form's CSRF token and hidden ``based_on``
version), POST it with a new text and a reason, follow the redirect to the proposal. A 302 to
``/redactie/voorstellen/<pk>/`` is a write (``web_writers_ok``); a 409 is a refusal because the
note changed meanwhile (``web_writers_stale``; the writer proposes again from the form of that
answer, based on the version it shows); anything else (a 5xx, the 503 "database busy", a 400, a
broken connection) is an error (``web_writers_errors``, goal 0). So that notes do change, one
more client signed in as ``bench-coordinator`` approves the newest proposal about every
``APPROVE_PAUSE`` seconds (``web_approvals_ok``; ``_stale``: refused because the proposal was
based on a note that changed since; ``_errors``). After the run the database must hold exactly
``web_writers_ok`` proposals (``web_writers_stored``), ``web_approvals_ok`` of them approved.
The server's log is searched for tracebacks, "database is locked" and the answers 5xx Django
logged (``web_server_log_*``; the 503 "database busy" leaves no traceback); on PostgreSQL
``web_postgres_deadlocks`` is what ``pg_stat_database`` counted in the benchmark's database.
``--writers 0`` runs the mix with the readers alone: the figures to compare the mix with.

**3. SQL queries per page**, in a separate process on the same database (Django's test client,
no server): each page once to warm the process up (translations, the analysis, which is
computed once per process and data version), then one request counted with
``CaptureQueriesContext``. Public pages are counted with the page cache cleared before the
counted request (``web_<page>_queries``: the rendering) and again from the cache
(``_queries_cached``). The editor's home is counted for ``bench-editor`` (one trajectory,
``_one``) and ``bench-coordinator`` (all trajectories, ``_all``): equal counts show no query per
trajectory. The form page is counted for the trajectories with the fewest and the most phase
records (``web_form_page_queries_fewest``, ``_most``, beside ``_phase_records_fewest`` and
``_most``), the progress-note form with the number of versions of the note
(``web_progress_note_versions``): equal counts show no query per record. Counted before the
server starts and again after the writers (``…_after_writes``: with their proposals pending,
and the note in as many versions as approvals succeeded).

Prints ``name=value`` lines. Per target of step 1: ``web_<target>_rps`` (answers per second),
``_p50_ms`` and ``_p95_ms`` (latency), ``_cpu_ms`` (CPU time of the server process per answer,
all threads: less sensitive to other load on the machine than the rest), ``_errors`` (answers
other than 200) and ``_ratio_static`` (requests/s over those of the static file). Of the mix:
``web_mix_<page>_rps``, ``_p50_ms``, ``_p95_ms``, ``_errors``, ``web_writers_*`` (also
``_per_s`` and the POST latency ``_p50_ms``, ``_p95_ms``) and ``web_approvals_*``. The clients
share the machine with the server: compare the figures of one run with each other
(``ratio_static``), not across machines. The last line is ``web_pages_min_ratio_static=<float>``,
the lowest ratio of the four public pages (the goal of issue 9: at least 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html as html_lib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    signed_in: bool = False  # asked with an editor's session


#: The targets of step 1; the static file comes last and is the reference.
TARGETS = (
    Target("overview", "/"),
    Target("trajectory", "/trajecten/textile/"),
    Target("heatmap", "/risico/"),
    Target("division", "/risico/nace/14/"),
    Target("editor_home", "/redactie/", signed_in=True),
    Target("form_page", "/redactie/trajecten/textile/fase/", signed_in=True),
    Target("static", "/static/imvo/imvo.css"),
)
STATIC = "static"
PUBLIC = ("overview", "trajectory", "heatmap", "division")
PAGES = tuple(t for t in TARGETS if t.name != STATIC)
READY_SECONDS = 60

SIGN_IN = "/account/inloggen/"
EDITOR_HOME = "/redactie/"
PROGRESS_NOTE = "/redactie/trajecten/textile/voortgang/"
PROPOSAL = re.compile(r"/redactie/voorstellen/(\d+)/")
SECTOR = "textile"
TRAJECTORY = "textile"  # of that sector: the paths above
PASSWORD = "Kleding-en-textiel-2016"
EDITOR = "bench-editor"  # sector editor of textile: edits one trajectory
COORDINATOR = "bench-coordinator"  # edits every trajectory; approves in the mix
WRITER = "bench-writer-{:02d}"
EDITOR_SESSIONS = 5
#: Seconds the approver waits between two approvals in the mix.
APPROVE_PAUSE = 0.5
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/"


@dataclass
class Figures:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0  # of the server process

    def add(self, other: Figures) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.cpu_seconds += other.cpu_seconds

    @property
    def cpu_ms(self) -> float:
        """Server CPU (user + system, all threads) per answer, in ms."""
        return self.cpu_seconds / self.requests * 1000 if self.requests else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency (ms) below which ``share`` of the answers came (nearest rank)."""
        return percentile(self.latencies, share)


def percentile(latencies: list[float], share: float) -> float:
    """The latency (ms) below which ``share`` of ``latencies`` (seconds) lie (nearest rank)."""
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[rank] * 1000


@dataclass
class Writes:
    """What the writers (or the approver) of the mix achieved."""

    ok: int = 0
    stale: int = 0
    errors: int = 0
    kinds: Counter[str] = field(default_factory=Counter)  # what the errors were
    latencies: list[float] = field(default_factory=list)  # of the POSTs, in seconds
    said: dict[str, str] = field(default_factory=dict)  # the first page's message per kind

    def error(self, kind: str, page: str = "") -> None:
        self.errors += 1
        self.kinds[kind] += 1
        if page and kind not in self.said:
            self.said[kind] = error_summary(page)


# --- Pure helpers: HTML forms, cookies, redirects, output (tests/benchmarks) -------------------


@dataclass
class HtmlForm:
    """A form of a page with the values a browser would submit (one value per name, enough
    for the forms used here; submit buttons are left out: add the one pressed)."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    SKIPPED = ("submit", "button", "image", "reset", "file")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.textarea: str | None = None
        self.text: list[str] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.form = HtmlForm(method, a.get("action") or "")
            return
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in self.SKIPPED or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.form.fields[name] = a.get("value") or default
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select is not None:
            self.option = a
            self.text = []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None or self.option is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.text)
            # A browser drops the line break that starts a textarea (Django writes one).
            self.form.fields[self.textarea] = text[1:] if text.startswith("\n") else text
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value = self.option.get("value")
            self.options.append(
                (
                    value if value is not None else "".join(self.text).strip(),
                    "selected" in self.option,
                )
            )
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            chosen = [value for value, selected in self.options if selected] or [
                value for value, _ in self.options[:1]
            ]
            if chosen:
                self.form.fields[self.select] = chosen[0]
            self.select = None


def parse_forms(html: str) -> list[HtmlForm]:
    """Every ``<form>`` of ``html``, in order, with its inputs, textareas and selects."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, name: str) -> HtmlForm:
    """The first form of ``html`` with a field ``name`` (the language switch and the sign-out
    button are forms too); ``ValueError`` when there is none."""
    for form in parse_forms(html):
        if name in form.fields:
            return form
    raise ValueError(f"no form with a field {name!r} on the page")


def csrf_token(form: HtmlForm) -> str:
    """The form's ``csrfmiddlewaretoken`` (Django's hidden input); ``ValueError`` if missing."""
    token = form.fields.get("csrfmiddlewaretoken", "")
    if not token:
        raise ValueError("the form has no csrfmiddlewaretoken")
    return token


def parse_set_cookie(header: str) -> tuple[str, str | None]:
    """Name and value of a ``Set-Cookie`` header; the value is ``None`` when the header deletes
    the cookie (``Max-Age=0`` or an ``expires`` in 1970, as Django deletes one)."""
    first, *attributes = header.split(";")
    name, _, value = first.partition("=")
    for attribute in attributes:
        key, _, argument = attribute.strip().partition("=")
        key, argument = key.strip().lower(), argument.strip()
        if key == "max-age" and re.fullmatch(r"-?\d+", argument) and int(argument) <= 0:
            return name.strip(), None
        if key == "expires" and "1970" in argument:
            return name.strip(), None
    return name.strip(), value.strip()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def redirect_path(location: str) -> str:
    """The path (and query) of a ``Location`` header, absolute or not."""
    parts = urllib.parse.urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def error_summary(html: str) -> str:
    """The text of a form page's error summary (``<div class="errors" role="alert">``), or
    '' when it has none."""
    found = re.search(r'<div class="errors" role="alert".*?</div>', html, re.S)
    if not found:
        return ""
    text = re.sub(r"<[^>]+>", " ", found.group(0))
    return " ".join(html_lib.unescape(text).split())


def badge(html: str) -> str:
    """The status badge of a proposal page (``<span class="badge">``), or ''."""
    found = re.search(r'<span class="badge">(.*?)</span>', html, re.S)
    return found.group(1).strip() if found else ""


def postgres_urls(server: str, name: str) -> tuple[str, str]:
    """For the PostgreSQL server of the URL ``server``: the URL of its ``postgres`` database
    (to create and drop databases) and the ``DATABASE_URL`` of the database ``name``."""
    parts = urllib.parse.urlsplit(server)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"not a PostgreSQL URL: scheme {parts.scheme!r}")
    admin = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    database = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    return admin, database


def figure_lines(prefix: str, figures: Figures, *, static_rps: float | None = None) -> list[str]:
    """The ``name=value`` lines of one target (``ratio_static`` when ``static_rps`` is given)."""
    lines = [
        f"{prefix}_rps={figures.rps:.1f}",
        f"{prefix}_p50_ms={figures.percentile(0.50):.1f}",
        f"{prefix}_p95_ms={figures.percentile(0.95):.1f}",
    ]
    if static_rps is not None:
        lines.append(f"{prefix}_cpu_ms={figures.cpu_ms:.3f}")
    lines.append(f"{prefix}_errors={figures.errors}")
    if static_rps is not None:
        ratio = figures.rps / static_rps if static_rps else float("nan")
        lines.append(f"{prefix}_ratio_static={ratio:.3f}")
    return lines


def write_lines(prefix: str, writes: Writes, *, seconds: float) -> list[str]:
    """The ``name=value`` lines of the writers (or the approver) of the mix."""
    lines = [
        f"{prefix}_ok={writes.ok}",
        f"{prefix}_stale={writes.stale}",
        f"{prefix}_errors={writes.errors}",
    ]
    if writes.latencies:
        lines += [
            f"{prefix}_per_s={writes.ok / seconds if seconds else 0.0:.1f}",
            f"{prefix}_p50_ms={percentile(writes.latencies, 0.50):.1f}",
            f"{prefix}_p95_ms={percentile(writes.latencies, 0.95):.1f}",
        ]
    if writes.kinds:
        kinds = ",".join(f"{kind}:{n}" for kind, n in sorted(writes.kinds.items()))
        lines.append(f"{prefix}_error_kinds={kinds}")
    return lines


#: How Django's request log starts the line of an answer 5xx ("Service Unavailable: /path").
_SERVER_ERROR = re.compile(
    "^(?:" + "|".join(re.escape(s.phrase) for s in HTTPStatus if s >= 500) + "): /", re.M
)


@dataclass(frozen=True)
class LogProblems:
    """What the server's log tells of trouble."""

    tracebacks: int = 0
    locked: int = 0  # "database is locked"
    server_errors: int = 0  # answers 5xx that Django logged (500, the 503 "database busy")
    first: str = ""  # the first traceback, with the line before it


def log_problems(log: str) -> LogProblems:
    """Tracebacks, "database is locked" and answers 5xx in the server's log."""
    marker = "Traceback (most recent call last)"
    tracebacks = log.count(marker)
    first = ""
    if tracebacks:
        start = log.index(marker)
        first = log[max(0, log.rfind("\n", 0, max(0, start - 1)) + 1) : start + 4000]
    errors = len(_SERVER_ERROR.findall(log))
    return LogProblems(tracebacks, log.count("database is locked"), errors, first)


# --- The installation ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def imvo(*args: str) -> list[str]:
    return [sys.executable, "-m", "imvo.cli", *args]


def environment(var: Path, *, database_url: str, page_cache: bool) -> dict[str, str]:
    dropped = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "IMVO_ENV")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        IMVO_VAR_DIR=str(var),
        DATABASE_URL=database_url,
        IMVO_DEBUG="false",
        IMVO_PAGE_CACHE="true" if page_cache else "false",
        # A password signs an editor in (the setting of a local installation; no TOTP step).
        IMVO_REQUIRE_2FA="0",
    )
    return env


def postgres_deadlocks(admin_url: str, name: str) -> int:
    """The deadlocks PostgreSQL detected in the database ``name`` (``pg_stat_database``)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        row = connection.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()
    return int(row[0]) if row else 0


def postgres_database(admin_url: str, name: str, *, create: bool) -> None:
    """Create (or drop, with whatever is still connected) the database ``name``."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        if create:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            connection.execute(statement.format(sql.Identifier(name)))


def run_checked(command: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def accounts(writers: int) -> list[tuple[str, list[str]]]:
    """User name and ``imvo user create`` role options of every account of the benchmark."""
    editor = ["--role", "sector_editor", "--sector", SECTOR]
    found = [(EDITOR, editor), (COORDINATOR, ["--role", "coordinator"])]
    return found + [(WRITER.format(n), editor) for n in range(1, writers + 1)]


def user_create(name: str, role: list[str]) -> list[str]:
    """The ``imvo user create`` command of one account (the password comes on stdin; the
    system checks ran in ``imvo init``, skipping them halves the command's time)."""
    options = ["--email", f"{name}@example.org", *role, "--password-stdin", "--lang", "en"]
    return imvo("user", "create", name, *options, "--skip-checks")


def create_accounts(env: dict[str, str], writers: int) -> None:
    """Every account of :func:`accounts`, four commands at a time."""

    def create(account: tuple[str, list[str]]) -> None:
        run_checked(user_create(*account), env, stdin=PASSWORD + "\n")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(create, accounts(writers)))


def count_queries(env: dict[str, str]) -> dict[str, Any]:
    """Step 3 in a process of its own: see :func:`queries_in_process`."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "imvo.conf.settings"}
    out = run_checked([sys.executable, __file__, "--count-queries"], env)
    return json.loads(out.strip().splitlines()[-1])


def queries_in_process() -> dict[str, Any]:
    """SQL queries (and ms) of one request per page, with Django's test client; and what the
    database holds (history, proposals). Runs inside the installation's environment."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from imvo.accounts.policy import editable_trajectories
    from imvo.proposals.models import ProgressNote, Proposal
    from imvo.proposals.selectors import next_report_period
    from imvo.trajectories.models import Event, PhaseRecord, Trajectory

    result: dict[str, Any] = {}
    page_cache = caches[settings.IMVO_PAGE_CACHE_ALIAS]

    def counted(client: Any, name: str, path: str, *, cold: bool = False) -> None:
        if client.get(path).status_code != 200:  # warms the process up
            raise RuntimeError(f"{path} did not answer 200")
        if cold:
            page_cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer = client.get(path)
            result[f"{name}_ms"] = round((time.perf_counter() - started) * 1000, 1)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")
        result[f"{name}_queries"] = len(queries)

    users = get_user_model().objects
    for suffix, username in (("one", EDITOR), ("all", COORDINATOR)):
        user = users.get(username=username)
        client = TestClient()
        client.force_login(user)
        counted(client, f"editor_home_{suffix}", EDITOR_HOME)
        ids = editable_trajectories(user)
        result[f"editor_home_trajectories_{suffix}"] = (
            Trajectory.objects.count() if ids is None else len(ids)
        )
        if username == EDITOR:
            counted(client, "form_page", "/redactie/trajecten/textile/fase/")
            counted(client, "progress_note", PROGRESS_NOTE)
        else:  # the form page of the trajectories with the fewest and the most phase records
            phases = Counter(PhaseRecord.objects.values_list("trajectory__slug", flat=True))
            ranked = sorted(phases.items(), key=lambda item: (item[1], item[0]))
            for end, (slug, number) in (("fewest", ranked[0]), ("most", ranked[-1])):
                counted(client, f"form_page_{end}", f"/redactie/trajecten/{slug}/fase/")
                result[f"form_page_{end}_phase_records"] = number
    anonymous = TestClient()
    for target in TARGETS:
        if target.name in PUBLIC:
            counted(anonymous, target.name, target.path, cold=True)
            counted(anonymous, f"{target.name}_cached", target.path)
    phases = PhaseRecord.objects.aggregate(first=Min("valid_from"), last=Max("valid_from"))
    events = Event.objects.aggregate(first=Min("date"), last=Max("date"))
    days = [d for d in (*phases.values(), *events.values()) if d is not None]
    result.update(
        history_from=min(days).isoformat() if days else "",
        history_until=max(days).isoformat() if days else "",
        history_trajectories=Trajectory.objects.count(),
        history_phase_records=PhaseRecord.objects.count(),
        history_events=Event.objects.count(),
        progress_note_versions=ProgressNote.objects.filter(
            trajectory__slug=TRAJECTORY, period=next_report_period()
        ).count(),
        proposals=Proposal.objects.count(),
        proposals_pending=Proposal.objects.filter(status="pending").count(),
        proposals_approved=Proposal.objects.filter(status="approved").count(),
    )
    return result


def wait_until_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"imvo serve stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/gezondheid/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"/gezondheid/ did not answer within {READY_SECONDS} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- The clients ----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One keep-alive HTTP/1.1 connection with the cookies it was given (``cookies``), which
    it keeps up to date from the answers when ``keep_cookies`` (as a browser does)."""

    def __init__(
        self, port: int, cookies: dict[str, str] | None = None, *, keep_cookies: bool = False
    ) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.keep_cookies = keep_cookies
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def get(self, path: str, *, anonymous: bool = False) -> int:
        """GET ``path``; the status code."""
        return (await self.request("GET", path, anonymous=anonymous)).status

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        anonymous: bool = False,
    ) -> Answer:
        """``method`` ``path`` (a POST of ``form`` with Origin and Referer as from a browser on
        that page); without cookies when ``anonymous``."""
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        origin = f"http://127.0.0.1:{self.port}"
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Accept-Encoding: identity",
        ]
        if self.cookies and not anonymous:
            lines.append(f"Cookie: {cookie_header(self.cookies)}")
        body = b""
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: {origin}",
                f"Referer: {origin}{path}",
            ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        head_lines = head.decode("latin-1").split("\r\n")
        status = int(head_lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in head_lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie" and self.keep_cookies:
                    cookie, kept = parse_set_cookie(value)
                    if kept is None:
                        self.cookies.pop(cookie, None)
                    else:
                        self.cookies[cookie] = kept
                headers[name] = value
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append((await self.reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
            content = b"".join(chunks)
        else:
            content = await self.reader.read()  # the body ends with the connection
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, headers, content)


NETWORK_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


async def sign_in(port: int, username: str) -> dict[str, str]:
    """Sign ``username`` in through the sign-in page; the cookies of the session. Never
    retried: a failure stops the benchmark before django-axes could lock the account."""
    client = Client(port, keep_cookies=True)
    try:
        page = await client.request("GET", SIGN_IN)
        if page.status != 200:
            raise RuntimeError(f"GET {SIGN_IN} answered {page.status}")
        form = form_with(page.text, "password")
        csrf_token(form)
        fields = {**form.fields, "username": username, "password": PASSWORD}
        answer = await client.request("POST", SIGN_IN, form=fields)
    finally:
        await client.close()
    where = redirect_path(answer.headers.get("location", ""))
    if answer.status != 302 or where != EDITOR_HOME or "sessionid" not in client.cookies:
        raise RuntimeError(
            f"signing in as {username} failed: {answer.status} {where!r} (not retried: "
            "11 failures lock the account)"
        )
    return client.cookies


async def load(
    port: int,
    target: Target,
    *,
    clients: int,
    seconds: float,
    server: int,
    sessions: list[dict[str, str]],
) -> Figures:
    """``clients`` connections asking ``target`` for ``seconds`` (answers in flight finish);
    a signed-in target with the ``sessions`` round-robin."""
    latencies: list[float] = []
    errors = 0
    cpu_start = cpu_seconds(server)
    start = time.perf_counter()
    deadline = start + seconds

    async def one_client(number: int) -> None:
        nonlocal errors
        cookies = sessions[number % len(sessions)] if target.signed_in else None
        client = Client(port, cookies)
        try:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    status = await client.get(target.path)
                except NETWORK_ERRORS:
                    status = 0
                    await client.close()
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    errors += 1
        finally:
            await client.close()

    await asyncio.gather(*(one_client(n) for n in range(clients)))
    elapsed = time.perf_counter() - start
    return Figures(len(latencies), errors, elapsed, latencies, cpu_seconds(server) - cpu_start)


async def rounds_of_pages(
    port: int,
    pid: int,
    *,
    clients: int,
    rounds: int,
    seconds: float,
    warm: float,
    sessions: list[dict[str, str]],
) -> dict[str, Figures]:
    """Step 1: warm every target up, then ``rounds`` rounds of ``seconds`` per target,
    interleaved so that a change in the machine's load falls on all targets alike."""
    common = {"server": pid, "sessions": sessions}
    for target in TARGETS:  # first answers (the analysis is computed once), then a burst
        await load(port, target, clients=1, seconds=warm / 2, **common)
        await load(port, target, clients=clients, seconds=warm, **common)
    results = {target.name: Figures() for target in TARGETS}
    for number in range(1, rounds + 1):
        for target in TARGETS:
            figures = await load(port, target, clients=clients, seconds=seconds, **common)
            results[target.name].add(figures)
            print(
                f"round {number} {target.name:<11} {target.path:<34} {figures.requests:>6} "
                f"answers in {figures.seconds:4.1f} s, {figures.rps:7.1f}/s, "
                f"{figures.errors} errors",
                flush=True,
            )
    return results


@dataclass
class Mix:
    seconds: float
    pages: dict[str, Figures]
    writes: Writes
    approvals: Writes


async def mix(
    port: int,
    *,
    readers: int,
    seconds: float,
    sessions: list[dict[str, str]],
    writers: list[dict[str, str]],
    approver: dict[str, str],
) -> Mix:
    """Step 2: readers on every page while writers propose progress notes and the approver
    approves the newest proposal now and then."""
    pages = {target.name: Figures() for target in PAGES}
    writes, approvals = Writes(), Writes()
    proposals: list[int] = []  # made by the writers, newest last
    start = time.perf_counter()
    deadline = start + seconds

    async def reader(number: int) -> None:
        client = Client(port, sessions[number % len(sessions)])
        target = PAGES[number % len(PAGES)]
        try:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    status = await client.get(target.path, anonymous=not target.signed_in)
                except NETWORK_ERRORS:
                    status = 0
                    await client.close()
                figures = pages[target.name]
                figures.latencies.append(time.perf_counter() - began)
                figures.requests += 1
                if status != 200:
                    figures.errors += 1
        finally:
            await client.close()

    async def writer(number: int, cookies: dict[str, str]) -> None:
        client = Client(port, cookies, keep_cookies=True)
        form: HtmlForm | None = None
        change = 0
        try:
            while time.perf_counter() < deadline:
                try:
                    if form is None:
                        page = await client.request("GET", PROGRESS_NOTE)
                        if page.status != 200:
                            writes.error(f"GET-{page.status}")
                            await asyncio.sleep(0.05)
                            continue
                        form = form_with(page.text, "based_on")
                    change += 1
                    data = {
                        **form.fields,
                        "text_nl": f"Voortgang volgens schrijver {number}, versie {change}.",
                        "text_en": f"Progress according to writer {number}, version {change}.",
                        "reason": f"Benchmark: writer {number}, change {change}",
                    }
                    form = None
                    began = time.perf_counter()
                    answer = await client.request("POST", PROGRESS_NOTE, form=data)
                    writes.latencies.append(time.perf_counter() - began)
                    where = redirect_path(answer.headers.get("location", ""))
                    made = PROPOSAL.fullmatch(where)
                    if answer.status == 302 and made:
                        writes.ok += 1
                        proposals.append(int(made.group(1)))
                        if await client.get(where) != 200:  # shows the message
                            writes.error("GET-proposal")
                    elif answer.status == 409:
                        writes.stale += 1
                        form = form_with(answer.text, "based_on")  # on the version shown
                    else:
                        writes.error(f"POST-{answer.status}", answer.text)
                        await asyncio.sleep(0.05)
                except NETWORK_ERRORS as exc:
                    writes.error(type(exc).__name__)
                    form = None
                    await client.close()
        finally:
            await client.close()

    async def approve(cookies: dict[str, str]) -> None:
        client = Client(port, cookies, keep_cookies=True)
        try:
            while time.perf_counter() + APPROVE_PAUSE < deadline:
                await asyncio.sleep(APPROVE_PAUSE)
                if not proposals:
                    continue
                path = f"/redactie/voorstellen/{proposals.pop()}/"
                try:
                    page = await client.request("GET", path)
                    if page.status != 200:
                        approvals.error(f"GET-{page.status}")
                        continue
                    before = badge(page.text)
                    data = {
                        **form_with(page.text, "decision_reason").fields,
                        "decision": "approve",
                        "decision_reason": "Benchmark: approved by the coordinator",
                    }
                    began = time.perf_counter()
                    answer = await client.request("POST", path, form=data)
                    approvals.latencies.append(time.perf_counter() - began)
                    if answer.status != 302:
                        approvals.error(f"POST-{answer.status}", answer.text)
                        continue
                    after = await client.request("GET", redirect_path(answer.headers["location"]))
                    if after.status != 200:
                        approvals.error(f"GET-{after.status}")
                    elif badge(after.text) != before:
                        approvals.ok += 1
                    else:  # still pending: refused, the note changed after the proposal
                        approvals.stale += 1
                except (*NETWORK_ERRORS, KeyError) as exc:
                    approvals.error(type(exc).__name__)
                    await client.close()
        finally:
            await client.close()

    await asyncio.gather(
        *(reader(n) for n in range(readers)),
        *(writer(n, cookies) for n, cookies in enumerate(writers, start=1)),
        *([approve(approver)] if writers else []),
    )
    elapsed = time.perf_counter() - start
    for figures in pages.values():
        figures.seconds = elapsed
    return Mix(elapsed, pages, writes, approvals)


async def benchmark(
    port: int, pid: int, options: argparse.Namespace, *, rounds: int, seconds: float, warm: float
) -> tuple[dict[str, Figures], Mix]:
    names = [EDITOR] * EDITOR_SESSIONS + [COORDINATOR]
    names += [WRITER.format(n) for n in range(1, options.writers + 1)]
    started = time.perf_counter()
    signed_in = await asyncio.gather(*(sign_in(port, name) for name in names))
    sessions, approver = signed_in[:EDITOR_SESSIONS], signed_in[EDITOR_SESSIONS]
    print(f"{len(names)} sign-ins: {time.perf_counter() - started:.1f} s", flush=True)
    results = await rounds_of_pages(
        port,
        pid,
        clients=options.clients,
        rounds=rounds,
        seconds=seconds,
        warm=warm,
        sessions=sessions,
    )
    mixed = await mix(
        port,
        readers=options.clients,
        seconds=options.mix_seconds or (6.0 if options.quick else 20.0),
        sessions=sessions,
        writers=signed_in[EDITOR_SESSIONS + 1 :],
        approver=approver,
    )
    print(
        f"mix: {mixed.writes.ok} proposals, {mixed.writes.stale} stale, "
        f"{mixed.writes.errors} errors, {mixed.approvals.ok} approved in {mixed.seconds:.1f} s",
        flush=True,
    )
    for who, writes in (("writers", mixed.writes), ("approver", mixed.approvals)):
        for kind, said in writes.said.items():
            print(f"{who}, first {kind}: {said or '(no error summary on the page)'}")
    return results, mixed


# --- The report -----------------------------------------------------------------------------


def query_lines(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Step 3 and what was loaded: ``before`` the server started, ``after`` the writers."""
    lines = [
        f"web_history_from={before['history_from']}",
        f"web_history_until={before['history_until']}",
        f"web_history_trajectories={before['history_trajectories']}",
        f"web_history_phase_records={before['history_phase_records']}",
        f"web_history_events={before['history_events']}",
    ]
    for name in PUBLIC:
        lines.append(f"web_{name}_queries={before[f'{name}_queries']}")
        lines.append(f"web_{name}_queries_cached={before[f'{name}_cached_queries']}")
    lines += [
        f"web_editor_home_queries={before['editor_home_one_queries']}",
        f"web_editor_home_queries_one={before['editor_home_one_queries']}",
        f"web_editor_home_queries_all={before['editor_home_all_queries']}",
        f"web_editor_home_trajectories_one={before['editor_home_trajectories_one']}",
        f"web_editor_home_trajectories_all={before['editor_home_trajectories_all']}",
        f"web_editor_home_ms_one={before['editor_home_one_ms']}",
        f"web_editor_home_ms_all={before['editor_home_all_ms']}",
        f"web_form_page_queries={before['form_page_queries']}",
        f"web_form_page_queries_fewest={before['form_page_fewest_queries']}",
        f"web_form_page_phase_records_fewest={before['form_page_fewest_phase_records']}",
        f"web_form_page_queries_most={before['form_page_most_queries']}",
        f"web_form_page_phase_records_most={before['form_page_most_phase_records']}",
        f"web_progress_note_queries={before['progress_note_queries']}",
        f"web_progress_note_versions={before['progress_note_versions']}",
        f"web_proposals_pending_after_writes={after['proposals_pending']}",
        f"web_editor_home_queries_one_after_writes={after['editor_home_one_queries']}",
        f"web_editor_home_queries_all_after_writes={after['editor_home_all_queries']}",
        f"web_editor_home_ms_one_after_writes={after['editor_home_one_ms']}",
        f"web_editor_home_ms_all_after_writes={after['editor_home_all_ms']}",
        f"web_form_page_queries_after_writes={after['form_page_queries']}",
        f"web_progress_note_queries_after_writes={after['progress_note_queries']}",
        f"web_progress_note_versions_after_writes={after['progress_note_versions']}",
    ]
    return lines


def report(
    results: dict[str, Figures],
    mixed: Mix,
    *,
    options: argparse.Namespace,
    database: str,
    page_cache: bool,
    queries: tuple[dict[str, Any], dict[str, Any]],
    log: LogProblems,
    deadlocks: int | None = None,
) -> list[str]:
    """Every ``name=value`` line; the last is the lowest ratio of the public pages."""
    static = results[STATIC].rps
    lines = [
        f"web_database={database}",
        f"web_clients={options.clients}",
        f"web_threads={options.threads}",
        f"web_page_cache={'on' if page_cache else 'off'}",
        f"web_editor_sessions={EDITOR_SESSIONS}",
    ]
    for target in TARGETS:
        lines += figure_lines(f"web_{target.name}", results[target.name], static_rps=static)
    before, after = queries
    lines += query_lines(before, after)
    lines.append(f"web_mix_seconds={mixed.seconds:.1f}")
    for name, figures in mixed.pages.items():
        lines += figure_lines(f"web_mix_{name}", figures)
    lines.append(f"web_writers={options.writers}")
    lines += write_lines("web_writers", mixed.writes, seconds=mixed.seconds)
    lines.append(f"web_writers_stored={after['proposals'] - before['proposals']}")
    lines += write_lines("web_approvals", mixed.approvals, seconds=mixed.seconds)
    approved = after["proposals_approved"] - before["proposals_approved"]
    lines.append(f"web_approvals_stored={approved}")
    lines += [
        f"web_server_log_tracebacks={log.tracebacks}",
        f"web_server_log_database_locked={log.locked}",
        f"web_server_log_5xx={log.server_errors}",
    ]
    if deadlocks is not None:
        lines.append(f"web_postgres_deadlocks={deadlocks}")
    ratios = [results[name].rps / static if static else float("nan") for name in PUBLIC]
    lines.append(f"web_pages_min_ratio_static={min(ratios):.3f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (2 rounds of 1.5 s)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--threads", type=int, default=8, help="imvo serve --threads (8)")
    parser.add_argument("--rounds", type=int, help="rounds over all targets (3; quick 2)")
    parser.add_argument("--seconds", type=float, help="per target and round (3; quick 1.5)")
    parser.add_argument(
        "--no-page-cache", action="store_true", help="serve with IMVO_PAGE_CACHE=false"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        help="sqlite (a file in the temporary folder) or postgres (a fresh database on the "
        f"server of DATABASE_URL, else {DEFAULT_POSTGRES}); default: postgres when "
        "DATABASE_URL is a postgres:// URL, else sqlite",
    )
    parser.add_argument(
        "--writers",
        type=int,
        default=10,
        help="concurrent writers in the mix (10; 0: the readers of the mix alone, no approver)",
    )
    parser.add_argument("--mix-seconds", type=float, help="length of the mix (20; quick 6)")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.count_queries:  # step 3, in the installation's environment
        print(json.dumps(queries_in_process()))
        return 0
    rounds = options.rounds or (2 if options.quick else 3)
    seconds = options.seconds or (1.5 if options.quick else 3.0)
    warm = 0.6 if options.quick else 1.0
    page_cache = not options.no_page_cache
    given = os.environ.get("DATABASE_URL", "").strip()
    database = options.database or ("postgres" if given.startswith("postgres") else "sqlite")

    var = Path(tempfile.mkdtemp(prefix="imvo-bench-web-"))
    dropped: tuple[str, str] | None = None  # PostgreSQL: (admin URL, database) to drop
    deadlocks: int | None = None  # PostgreSQL: that it detected in the database
    server: subprocess.Popen[bytes] | None = None
    try:
        if database == "postgres":
            name = f"imvo_bench_{os.getpid()}_{secrets.token_hex(3)}"
            server_url = given if given.startswith("postgres") else DEFAULT_POSTGRES
            admin_url, database_url = postgres_urls(server_url, name)
            postgres_database(admin_url, name, create=True)
            dropped = (admin_url, name)
            print(f"PostgreSQL database {name} created", flush=True)
        else:
            database_url = f"sqlite:///{var / 'imvo.sqlite3'}"
        env = environment(var, database_url=database_url, page_cache=page_cache)
        started = time.perf_counter()
        run_checked(imvo("init", "--lang", "en"), env)
        print(f"imvo init (full reference history): {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        create_accounts(env, options.writers)
        print(f"{2 + options.writers} accounts: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        before = count_queries(env)
        print(f"queries per page counted: {time.perf_counter() - started:.1f} s", flush=True)
        port = free_port()
        command = imvo("serve", "--port", str(port), "--threads", str(options.threads))
        with (var / "serve.log").open("wb") as log:
            server = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                wait_until_ready(f"http://127.0.0.1:{port}", server)
                print(
                    f"imvo serve on port {port} ({database}), {options.threads} threads, page "
                    f"cache {'on' if page_cache else 'off'}, {options.clients} clients",
                    flush=True,
                )
                results, mixed = asyncio.run(
                    benchmark(port, server.pid, options, rounds=rounds, seconds=seconds, warm=warm)
                )
            finally:
                stop(server)
        served = (var / "serve.log").read_text(errors="replace")
        if server.returncode not in (0, -signal.SIGTERM):
            print(f"imvo serve exited with {server.returncode}:\n{served[-2000:]}", file=sys.stderr)
        problems = log_problems(served)
        if problems.first:
            print(f"first traceback in the server's log:\n{problems.first}", file=sys.stderr)
        if dropped is not None:
            deadlocks = postgres_deadlocks(*dropped)
        after = count_queries(env)
    finally:
        if dropped is not None:
            try:
                postgres_database(dropped[0], dropped[1], create=False)
            except Exception as exc:  # the run's figures still count; say what is left behind
                print(f"could not drop the database {dropped[1]}: {exc}", file=sys.stderr)
            else:
                print(f"PostgreSQL database {dropped[1]} dropped")
        shutil.rmtree(var, ignore_errors=True)
    lines = report(
        results,
        mixed,
        options=options,
        database=database,
        page_cache=page_cache,
        queries=(before, after),
        log=problems,
        deadlocks=deadlocks,
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
