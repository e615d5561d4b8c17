"""The pure parts of ``benchmarks/web.py``: forms and CSRF tokens, cookies, redirects, URLs,
the accounts and the ``name=value`` output (no server, no timing)."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import urllib.parse
from collections import defaultdict
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "web.py"


def _load():
    spec = importlib.util.spec_from_file_location("benchmarks_web", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


web = _load()

TOKEN = "a" * 32 + "B" * 32

#: What the progress-note page has: the language switch, the report picker, the editor's form.
PAGE = f"""
<form action="/taal/" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">
  <input name="next" type="hidden" value="/redactie/trajecten/textile/voortgang/">
  <button type="submit" name="language" value="en">English</button></form>
<form method="get" class="reference-form"><input id="verslag" name="verslag" value="2026"></form>
<form method="post" class="editor-form" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">
  <input type="hidden" name="based_on" value="notes:2:2026:0" id="id_based_on">
  <input type="hidden" name="period" value="2026" id="id_period">
  <textarea name="text_nl" rows="8" required id="id_text_nl">
Eerste regel &amp; meer</textarea>
  <textarea name="text_en" rows="8" id="id_text_en">
</textarea>
  <input type="checkbox" name="unticked" value="1"><input type="checkbox" name="ticked" checked>
  <input type="radio" name="choice" value="new"><input type="radio" name="choice" value="existing" checked>
  <select name="phase"><option value="">—</option><option value="signed" selected>ondertekend</option></select>
  <select name="source"><option value="7">Bron</option><option value="8">Andere</option></select>
  <textarea name="reason" maxlength="2000" required id="id_reason">
</textarea>
  <p><button type="submit">Voorstellen</button></p>
</form>
"""


def test_forms_are_read_as_a_browser_submits_them():
    forms = web.parse_forms(PAGE)
    assert [(f.method, f.action) for f in forms] == [
        ("post", "/taal/"),
        ("get", ""),
        ("post", ""),
    ]
    form = web.form_with(PAGE, "based_on")
    assert form == forms[2]
    assert form.fields == {
        "csrfmiddlewaretoken": TOKEN,
        "based_on": "notes:2:2026:0",
        "period": "2026",
        "text_nl": "Eerste regel & meer",  # the leading line break dropped, entities decoded
        "text_en": "",
        "ticked": "on",
        "choice": "existing",
        "phase": "signed",
        "source": "7",  # no option selected: the first
        "reason": "",
    }
    assert web.csrf_token(form) == TOKEN


def test_the_form_with_a_field_and_its_token_are_required():
    with pytest.raises(ValueError, match="decision_reason"):
        web.form_with(PAGE, "decision_reason")
    with pytest.raises(ValueError, match="csrfmiddlewaretoken"):
        web.csrf_token(web.form_with(PAGE, "verslag"))


def test_the_sign_in_form_keeps_its_next_field():
    page = f"""<form method="post" class="account-form" novalidate>
      <input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">
      <input type="hidden" name="next" value="/redactie/">
      <input type="text" name="username" id="id_username"><input type="password" name="password">
    </form>"""
    form = web.form_with(page, "password")
    assert form.fields == {
        "csrfmiddlewaretoken": TOKEN,
        "next": "/redactie/",
        "username": "",
        "password": "",
    }


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "sessionid=abc123; expires=Thu, 01 Jan 2099 00:00:00 GMT; HttpOnly; Path=/",
            ("sessionid", "abc123"),
        ),
        ("csrftoken=xyz; Max-Age=31449600; Path=/; SameSite=Lax", ("csrftoken", "xyz")),
        ('messages="a:b=="; Path=/', ("messages", '"a:b=="')),
        (
            'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
            ("messages", None),
        ),
        ("sessionid=; Max-Age=0; Path=/", ("sessionid", None)),
    ],
)
def test_set_cookie_headers_set_or_delete_a_cookie(header, expected):
    assert web.parse_set_cookie(header) == expected


def test_cookie_header_and_redirects():
    assert web.cookie_header({"csrftoken": "x", "sessionid": "y"}) == "csrftoken=x; sessionid=y"
    assert web.redirect_path("/redactie/voorstellen/12/") == "/redactie/voorstellen/12/"
    assert web.redirect_path("http://127.0.0.1:8000/redactie/?a=1") == "/redactie/?a=1"
    assert web.PROPOSAL.fullmatch(web.redirect_path("/redactie/voorstellen/12/")).group(1) == "12"


def test_the_badge_of_a_proposal_page():
    assert web.badge('<p><span class="badge">In afwachting</span> Nog niet openbaar') == (
        "In afwachting"
    )
    assert web.badge("<p>no badge</p>") == ""


def test_postgres_urls_name_a_fresh_database_on_the_same_server():
    admin, database = web.postgres_urls("postgres://postgres@127.0.0.1:5432/", "imvo_bench_1")
    assert admin == "postgres://postgres@127.0.0.1:5432/postgres"
    assert database == "postgres://postgres@127.0.0.1:5432/imvo_bench_1"
    admin, database = web.postgres_urls(
        "postgresql://u:p%40ss@db:5433/production?sslmode=require", "imvo_bench_2"
    )
    assert admin == "postgresql://u:p%40ss@db:5433/postgres?sslmode=require"
    assert urllib.parse.urlsplit(database).path == "/imvo_bench_2"  # never the given one
    with pytest.raises(ValueError, match="sqlite"):
        web.postgres_urls("sqlite:///var/imvo.sqlite3", "x")


def test_the_environment_signs_in_with_a_password_on_the_chosen_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "elsewhere")
    monkeypatch.setenv("IMVO_ENV", "production")
    env = web.environment(tmp_path, database_url="postgres://h/db", page_cache=False)
    assert env["DATABASE_URL"] == "postgres://h/db"
    assert env["IMVO_REQUIRE_2FA"] == "0"
    assert env["IMVO_PAGE_CACHE"] == "false"
    assert env["IMVO_VAR_DIR"] == str(tmp_path)
    assert "DJANGO_SETTINGS_MODULE" not in env and "IMVO_ENV" not in env


def test_the_accounts_of_the_benchmark():
    found = web.accounts(3)
    names = [name for name, _ in found]
    assert names == [
        "bench-editor",
        "bench-coordinator",
        "bench-writer-01",
        "bench-writer-02",
        "bench-writer-03",
    ]
    assert dict(found)["bench-coordinator"] == ["--role", "coordinator"]
    assert dict(found)["bench-writer-02"] == ["--role", "sector_editor", "--sector", "textile"]
    command = web.user_create("bench-editor", dict(found)["bench-editor"])
    assert command[1:5] == ["-m", "imvo.cli", "user", "create"]
    assert "--password-stdin" in command and web.PASSWORD not in command


def test_percentiles_are_nearest_rank():
    latencies = [0.001 * n for n in range(1, 101)]  # 1 … 100 ms
    assert web.percentile(latencies, 0.50) == pytest.approx(50.0)
    assert web.percentile(latencies, 0.95) == pytest.approx(95.0)
    assert web.percentile([0.2], 0.95) == pytest.approx(200.0)
    assert web.percentile([], 0.5) != web.percentile([], 0.5)  # nan


def test_figure_lines():
    figures = web.Figures(4, 1, 2.0, [0.010, 0.020, 0.030, 0.040], 0.008)
    assert web.figure_lines("web_x", figures, static_rps=4.0) == [
        "web_x_rps=2.0",
        "web_x_p50_ms=20.0",
        "web_x_p95_ms=40.0",
        "web_x_cpu_ms=2.000",
        "web_x_errors=1",
        "web_x_ratio_static=0.500",
    ]
    assert web.figure_lines("web_mix_x", figures) == [
        "web_mix_x_rps=2.0",
        "web_mix_x_p50_ms=20.0",
        "web_mix_x_p95_ms=40.0",
        "web_mix_x_errors=1",
    ]


def test_write_lines_count_stale_refusals_apart_from_errors():
    writes = web.Writes(ok=8, stale=2, latencies=[0.1] * 10)
    writes.error("POST-503")
    writes.error("POST-503")
    writes.error("ConnectionResetError")
    assert web.write_lines("web_writers", writes, seconds=4.0) == [
        "web_writers_ok=8",
        "web_writers_stale=2",
        "web_writers_errors=3",
        "web_writers_per_s=2.0",
        "web_writers_p50_ms=100.0",
        "web_writers_p95_ms=100.0",
        "web_writers_error_kinds=ConnectionResetError:1,POST-503:2",
    ]
    assert web.write_lines("web_approvals", web.Writes(), seconds=4.0) == [
        "web_approvals_ok=0",
        "web_approvals_stale=0",
        "web_approvals_errors=0",
    ]


def test_the_server_log_is_searched_for_tracebacks_locks_and_answers_5xx():
    log = (
        "IMVO Monitor: http://127.0.0.1:1/\n"
        "Service Unavailable: /redactie/trajecten/textile/voortgang/\n"
        "Internal Server Error: /redactie/\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1\n'
        "django.db.utils.OperationalError: database is locked\n"
        "Not Found: /nothing/\n"
    )
    found = web.log_problems(log)
    assert (found.tracebacks, found.locked, found.server_errors) == (1, 1, 2)
    assert found.first.startswith("Internal Server Error: /redactie/\nTraceback")
    assert web.log_problems("all quiet\nNot Found: /x/\n") == web.LogProblems()


def test_the_report_ends_with_the_lowest_ratio_of_the_public_pages():
    results = {t.name: web.Figures(10, 0, 1.0, [0.01] * 10) for t in web.TARGETS}
    results["static"] = web.Figures(100, 0, 1.0, [0.001] * 100)
    results["heatmap"] = web.Figures(40, 0, 1.0, [0.02] * 40)
    results["editor_home"] = web.Figures(1, 0, 1.0, [0.5])  # signed in: not in the summary
    queries = defaultdict(int, history_from="2014-06-24", history_until="2024-06-18")
    mixed = web.Mix(
        5.0,
        {t.name: web.Figures(5, 0, 5.0, [0.1] * 5) for t in web.PAGES},
        web.Writes(ok=7, stale=1, latencies=[0.2] * 8),
        web.Writes(ok=1, latencies=[0.3]),
    )
    after = defaultdict(int, proposals=7, proposals_approved=1)
    options = type("Options", (), {"clients": 50, "threads": 8, "writers": 10})()
    lines = web.report(
        results,
        mixed,
        options=options,
        database="sqlite",
        page_cache=True,
        queries=(queries, after),
        log=web.LogProblems(),
        deadlocks=3,
    )
    assert all(line.count("=") >= 1 and " " not in line.split("=")[0] for line in lines)
    names = [line.split("=", 1)[0] for line in lines]
    assert len(names) == len(set(names))
    assert lines[-1] == "web_pages_min_ratio_static=0.100"
    for name in (
        "web_editor_home_rps",
        "web_form_page_p95_ms",
        "web_editor_home_queries_one",
        "web_editor_home_queries_all",
        "web_overview_queries",
        "web_writers_ok",
        "web_writers_stale",
        "web_writers_errors",
        "web_writers_stored",
        "web_history_from",
    ):
        assert name in names
    assert "web_writers_ok=7" in lines and "web_writers_stored=7" in lines
    assert "web_postgres_deadlocks=3" in lines and "web_server_log_5xx=0" in lines


def test_the_client_keeps_cookies_and_posts_forms_as_a_browser():
    """Against a tiny HTTP server of its own: keep-alive, Set-Cookie, chunked bodies, POST."""
    seen: list[bytes] = []

    async def answer(reader, writer):
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = [
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ]
            body = await reader.readexactly(length[0]) if length else b""
            seen.append(head + body)
            if head.startswith(b"GET /first"):
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                    b"Set-Cookie: csrftoken=tok; Path=/\r\n"
                    b"Set-Cookie: messages=m; Path=/\r\n\r\nhello"
                )
            else:
                writer.write(
                    b"HTTP/1.1 302 Found\r\nLocation: /redactie/\r\n"
                    b"Set-Cookie: messages=; Max-Age=0; Path=/\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                )
            await writer.drain()
        writer.close()

    async def run():
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = web.Client(port, {"sessionid": "s"}, keep_cookies=True)
        first = await client.request("GET", "/first")
        posted = await client.request("POST", "/form/", form={"a": "1 2", "b": "é"})
        anonymous = await client.get("/public/", anonymous=True)
        await client.close()
        server.close()
        await server.wait_closed()
        return port, first, posted, anonymous, dict(client.cookies)

    port, first, posted, anonymous, cookies = asyncio.run(run())
    assert (first.status, first.text) == (200, "hello")
    assert (posted.status, posted.body, posted.headers["location"]) == (302, b"abc", "/redactie/")
    assert anonymous == 302
    assert cookies == {"sessionid": "s", "csrftoken": "tok"}  # messages deleted again
    assert b"Cookie: sessionid=s\r\n" in seen[0]
    post = seen[1].decode()
    assert "Cookie: sessionid=s; csrftoken=tok; messages=m\r\n" in post
    assert f"Host: 127.0.0.1:{port}\r\n" in post
    assert f"Origin: http://127.0.0.1:{port}\r\n" in post
    assert f"Referer: http://127.0.0.1:{port}/form/\r\n" in post
    assert post.endswith("\r\n\r\na=1+2&b=%C3%A9")
    assert b"Cookie:" not in seen[2]


def test_the_error_summary_of_a_form_page_is_kept_for_the_report():
    page = """<h1>Progress note</h1>
    <div class="errors" role="alert" id="error-summary" tabindex="-1">
      <h2 id="error-summary-title">There is a problem</h2>
      <p>Nothing was saved. Please check:</p>
      <ul><li>The database was busy; nothing was saved. Try again.</li>
      <li><a href="#id_reason">Reason: This field is required &amp; more.</a></li></ul>
    </div><form method="post"></form>"""
    assert web.error_summary(page) == (
        "There is a problem Nothing was saved. Please check: The database was busy; nothing "
        "was saved. Try again. Reason: This field is required & more."
    )
    assert web.error_summary("<p>fine</p>") == ""
    writes = web.Writes()
    writes.error("POST-503", page)
    writes.error("POST-503", "<p>another</p>")
    writes.error("ConnectionResetError")
    assert writes.errors == 3 and list(writes.said) == ["POST-503"]
    assert writes.said["POST-503"].startswith("There is a problem")
