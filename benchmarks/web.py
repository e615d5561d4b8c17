"""Benchmark of the web server: public pages against a static file, 50 clients on loopback.

    .venv/bin/python benchmarks/web.py                  # about 1 min on 2 cores
    .venv/bin/python benchmarks/web.py --quick          # about 40 s
    .venv/bin/python benchmarks/web.py --no-page-cache  # pages rendered every time: 2 min

Creates a fresh SQLite database in a temporary folder with ``imvo init``, starts
``imvo serve`` (``--threads``, default 8 as ``imvo serve`` itself) on a free loopback port as
a subprocess, waits for ``/gezondheid/``, warms every target up, then asks each target from
``--clients`` concurrent clients (asyncio in this process, one keep-alive HTTP/1.1
connection per client, no cookies: every request is a new anonymous visitor) for
``--seconds``, in ``--rounds`` rounds over all targets so that a change in the machine's load
falls on every target alike. The targets are the overview, a trajectory page, the heat map, a
division page, and a static file of the same server: the limit of this stack (waitress,
Django's WSGI handler, WhiteNoise) on this machine. The server is stopped at the end, also on
an error or Ctrl+C. The clients share the machine with the server: compare the figures of one
run with each other (``ratio_static``), not across machines.

Prints ``name=value`` lines, per target: ``web_<target>_rps`` (answers per second),
``_p50_ms`` and ``_p95_ms`` (latency), ``_cpu_ms`` (CPU time of the server process per
answer, all threads: less sensitive to other load on the machine than the rest),
``_errors`` (answers other than 200) and ``_ratio_static`` (requests/s over those of the
static file). The last line is ``web_pages_min_ratio_static=<float>``, the lowest ratio of
the four pages (the goal of issue 9: at least 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: Name and path of each target; the static file comes last and is the reference.
TARGETS = (
    ("overview", "/"),
    ("trajectory", "/trajecten/textile/"),
    ("heatmap", "/risico/"),
    ("division", "/risico/nace/14/"),
    ("static", "/static/imvo/imvo.css"),
)
STATIC = "static"
READY_SECONDS = 60


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
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
        return ordered[rank] * 1000


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


def environment(var: Path, *, page_cache: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(
        IMVO_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'imvo.sqlite3'}",
        IMVO_DEBUG="false",
        IMVO_PAGE_CACHE="true" if page_cache else "false",
    )
    return env


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


class Client:
    """One keep-alive HTTP/1.1 connection; ``get`` returns the status code."""

    def __init__(self, port: int) -> None:
        self.port = port
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

    async def get(self, path: str) -> int:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.read()  # the body ends with the connection
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status


async def load(port: int, path: str, *, clients: int, seconds: float, server: int) -> Figures:
    """``clients`` connections asking ``path`` for ``seconds`` (answers in flight finish)."""
    latencies: list[float] = []
    errors = 0
    cpu_start = cpu_seconds(server)
    start = time.perf_counter()
    deadline = start + seconds

    async def one_client() -> None:
        nonlocal errors
        client = Client(port)
        try:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    status = await client.get(path)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status = 0
                    await client.close()
                latencies.append(time.perf_counter() - began)
                if status != 200:
                    errors += 1
        finally:
            await client.close()

    await asyncio.gather(*(one_client() for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return Figures(len(latencies), errors, elapsed, latencies, cpu_seconds(server) - cpu_start)


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def measure(
    port: int, pid: int, *, clients: int, rounds: int, seconds: float
) -> dict[str, Figures]:
    """Warm every target up, then ``rounds`` rounds of ``seconds`` per target, interleaved so
    that a change in the machine's load falls on all targets alike."""

    async def run() -> dict[str, Figures]:
        for _, path in TARGETS:  # first answers (the analysis is computed once), then a burst
            await load(port, path, clients=1, seconds=0.5, server=pid)
            await load(port, path, clients=clients, seconds=1.0, server=pid)
        results = {name: Figures() for name, _ in TARGETS}
        for number in range(1, rounds + 1):
            for name, path in TARGETS:
                figures = await load(port, path, clients=clients, seconds=seconds, server=pid)
                results[name].add(figures)
                print(
                    f"round {number} {name:<10} {path:<24} {figures.requests:>6} answers in "
                    f"{figures.seconds:4.1f} s, {figures.rps:7.1f}/s, {figures.errors} errors"
                )
        return results

    return asyncio.run(run())


def report(results: dict[str, Figures], *, clients: int, threads: int, page_cache: bool) -> None:
    static = results[STATIC].rps
    print(f"web_clients={clients}")
    print(f"web_threads={threads}")
    print(f"web_page_cache={'on' if page_cache else 'off'}")
    ratios = []
    for name, _ in TARGETS:
        figures = results[name]
        ratio = figures.rps / static if static else float("nan")
        if name != STATIC:
            ratios.append(ratio)
        print(f"web_{name}_rps={figures.rps:.1f}")
        print(f"web_{name}_p50_ms={figures.percentile(0.50):.1f}")
        print(f"web_{name}_p95_ms={figures.percentile(0.95):.1f}")
        print(f"web_{name}_cpu_ms={figures.cpu_ms:.3f}")
        print(f"web_{name}_errors={figures.errors}")
        print(f"web_{name}_ratio_static={ratio:.3f}")
    print(f"web_pages_min_ratio_static={min(ratios):.3f}")


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
    options = parser.parse_args()
    rounds = options.rounds or (2 if options.quick else 3)
    seconds = options.seconds or (1.5 if options.quick else 3.0)
    page_cache = not options.no_page_cache

    var = Path(tempfile.mkdtemp(prefix="imvo-bench-web-"))
    env = environment(var, page_cache=page_cache)
    server: subprocess.Popen[bytes] | None = None
    try:
        started = time.perf_counter()
        init = subprocess.run(imvo("init"), env=env, capture_output=True, text=True, check=False)
        if init.returncode != 0:
            print(init.stdout + init.stderr, file=sys.stderr)
            return 1
        print(f"imvo init: {time.perf_counter() - started:.1f} s")
        port = free_port()
        command = imvo("serve", "--port", str(port), "--threads", str(options.threads))
        with (var / "serve.log").open("wb") as log:
            server = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                wait_until_ready(f"http://127.0.0.1:{port}", server)
                print(
                    f"imvo serve on port {port}, {options.threads} threads, page cache "
                    f"{'on' if page_cache else 'off'}, {options.clients} clients"
                )
                results = measure(
                    port, server.pid, clients=options.clients, rounds=rounds, seconds=seconds
                )
            finally:
                stop(server)
        if server.returncode not in (0, -signal.SIGTERM):
            tail = (var / "serve.log").read_text(errors="replace")[-2000:]
            print(f"imvo serve exited with {server.returncode}:\n{tail}", file=sys.stderr)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    report(results, clients=options.clients, threads=options.threads, page_cache=page_cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
