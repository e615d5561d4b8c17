"""``imvo serve`` under hostile clients: idle and half-sent connections do not lock others out.

Waitress used to accept at most 100 connections and keep an idle one for 120 s, so about 110
clients that connect and send nothing (or half a request line) stopped the server answering
anyone for up to two minutes. ``imvo serve`` now sets the connection limit, the idle timeout
and the request size limits itself (``docs/operations/deployment.md``), and checks them like
``--port``: one line, exit code 2.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import run_imvo
from tests.web.browser import served as serving

IDLE_CONNECTIONS = 150


def test_a_normal_request_is_answered_while_150_clients_hold_idle_connections(cli_env):
    with serving(cli_env) as base:
        port = int(base.rsplit(":", 1)[1])
        idle: list[socket.socket] = []
        try:
            for i in range(IDLE_CONNECTIONS):
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                if i % 2:  # half of them start a request line and never finish it
                    sock.sendall(b"GET /gezondheid/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                idle.append(sock)
            time.sleep(0.5)  # let the server take them all in
            started = time.monotonic()
            with urllib.request.urlopen(base + "/gezondheid/", timeout=10) as answer:
                assert answer.status == 200
            elapsed = time.monotonic() - started
        finally:
            for sock in idle:
                sock.close()
    assert elapsed < 3, (
        f"the health check took {elapsed:.1f} s behind {IDLE_CONNECTIONS} idle clients"
    )


def test_an_idle_connection_is_closed_after_the_channel_timeout(cli_env):
    with (
        serving(cli_env, "--channel-timeout", "1", "--cleanup-interval", "1") as base,
        socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10) as sock,
    ):
        sock.sendall(b"GET / HTTP/1.1\r\n")  # half a request, then silence
        started = time.monotonic()
        assert sock.recv(1024) == b""  # the server hangs up …
        assert time.monotonic() - started < 6  # … after about a second or two, not 120


def test_a_request_header_over_the_limit_is_refused(cli_env):
    with serving(cli_env, "--max-request-header-size", "4096") as base:
        request = urllib.request.Request(base + "/gezondheid/", headers={"X-Padding": "x" * 8000})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 431


def test_a_request_body_over_the_limit_is_refused(cli_env):
    with serving(cli_env, "--max-request-body-size", "1024") as base:
        request = urllib.request.Request(base + "/gezondheid/", data=b"x" * 4096, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 413


def test_the_forwarded_scheme_is_believed_from_the_trusted_proxy_only(cli_env):
    env = {**cli_env, "IMVO_HSTS_SECONDS": "60"}  # HSTS is sent on HTTPS requests only

    def hsts(base: str) -> str | None:
        request = urllib.request.Request(
            base + "/programma/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.headers.get("Strict-Transport-Security")

    with serving(env, "--trusted-proxy", "127.0.0.1") as base:
        assert hsts(base) == "max-age=60; includeSubDomains"
    with serving(env) as base:
        assert hsts(base) is None  # anyone may send the header: not believed without a proxy


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""  # it never announced serving
    return lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--connection-limit", "5"],
            "argument --connection-limit: must be from 10 to 100000, not 5",
        ),
        (
            ["--connection-limit", "many"],
            "argument --connection-limit: 'many' is not a whole number",
        ),
        (["--channel-timeout", "0"], "argument --channel-timeout: must be from 1 to 3600, not 0"),
        (
            ["--cleanup-interval", "9999"],
            "argument --cleanup-interval: must be from 1 to 3600, not 9999",
        ),
        (["--recv-bytes", "10"], "argument --recv-bytes: must be from 1024 to 1048576, not 10"),
        (
            ["--max-request-header-size", "1"],
            "argument --max-request-header-size: must be from 1024 to 1048576, not 1",
        ),
        (
            ["--max-request-body-size", "-1"],
            "argument --max-request-body-size: must be from 1024 to 1073741824, not -1",
        ),
        (
            ["--trusted-proxy", "proxy.local"],
            "argument --trusted-proxy: 'proxy.local' is not an IP address (e.g. 127.0.0.1 or ::1)",
        ),
    ],
)
def test_serve_refuses_a_limit_out_of_range(cli_env, args, message):
    line = one_line_error(run_imvo("serve", *args, env=cli_env))
    assert line == f"imvo serve: error: {message}"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "IMVO_SERVE_CONNECTION_LIMIT",
            "lots",
            "IMVO_SERVE_CONNECTION_LIMIT: 'lots' is not a whole number",
        ),
        (
            "IMVO_SERVE_CHANNEL_TIMEOUT",
            "0",
            "IMVO_SERVE_CHANNEL_TIMEOUT: must be from 1 to 3600, not 0",
        ),
        (
            "IMVO_SERVE_MAX_REQUEST_BODY_SIZE",
            "10",
            "IMVO_SERVE_MAX_REQUEST_BODY_SIZE: must be from 1024 to 1073741824, not 10",
        ),
    ],
)
def test_serve_refuses_a_limit_from_the_environment_out_of_range(cli_env, name, value, message):
    line = one_line_error(run_imvo("serve", env={**cli_env, name: value}))
    assert line == f"imvo serve: error: {message}"


def test_the_limits_and_their_defaults_are_in_the_help(cli_env):
    result = run_imvo("serve", "--help", env=cli_env)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for option in (
        "--connection-limit",
        "--channel-timeout",
        "--cleanup-interval",
        "--recv-bytes",
        "--max-request-header-size",
        "--max-request-body-size",
    ):
        assert option in text
    assert "IMVO_SERVE_CONNECTION_LIMIT" in text
