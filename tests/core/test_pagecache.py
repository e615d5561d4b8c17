"""The page cache: the same data gives the same page from the cache, every write a new one.

A second request is answered with the version read as its only query; a write through a
service, the admin or the reference loader (and a migration, a user-data file, a new day)
changes the next page; languages and query strings never share an entry; signed-in visitors,
POST, errors and answers with cookies are never cached; a visitor's CSRF token never enters the
cache and every answer from it carries the visitor's own; ETags give 304 until the next write;
processes that share the database (and, with Redis, the cache) see each other's writes.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import pickle
import re
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import OperationalError, connection
from django.forms.models import model_to_dict
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import (
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _does_token_match,
)
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from imvo.core import pagecache
from imvo.core.audit import Actor, audited_set_m2m, data_changed, system_user
from imvo.core.models import DataVersion
from imvo.organisations.models import Organisation
from imvo.organisations.services import organisation_update
from imvo.reference.services import reference_data_load
from imvo.sectors.models import Sector
from imvo.sectors.services import sector_create, sector_delete, sector_update
from imvo.sources.models import Source
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

OLD_NAME = "Sociaal-Economische Raad"
NEW_NAME = "Sociale en Economische Raad"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_superuser("officer", "o@example.org", "s3cret-pass!")


def stored_entries() -> list[pagecache.Entry]:
    """The pages in the (local-memory) cache."""
    stored = caches["default"]._cache  # type: ignore[attr-defined]
    return [e for e in map(pickle.loads, list(stored.values())) if isinstance(e, pagecache.Entry)]


def version_token() -> str:
    return DataVersion.objects.get(pk=DataVersion.ROW).token


def without_cookies(response: HttpResponse) -> dict[str, str]:
    return dict(response.headers.items())


# The second request, and what a cached answer looks like


def test_the_second_request_is_answered_with_one_query(client, django_assert_num_queries):
    first = client.get("/organisaties/")
    assert first.status_code == 200
    with django_assert_num_queries(1) as captured:  # the data version, nothing else
        second = Client().get("/organisaties/")
    assert "core_dataversion" in captured.captured_queries[0]["sql"]
    assert second.status_code == 200
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/trajecten/textile/",
        "/sectoren/textile/",
        "/programma/",
        "/tijdlijn.svg",
        "/afspraken.svg",
        "/wijzigingen/",
        "/bronnen/",
        "/organisaties/",
        "/risico/",
        "/risico/heatmap.svg",
        "/risico/nace/14/",
        "/download/overview.csv",
        "/download/trajectory/textile.json",
    ],
)
def test_every_public_page_comes_from_the_cache_the_same_as_fresh(path, django_assert_num_queries):
    visitor = Client()
    fresh = visitor.get(path)
    assert fresh.status_code == 200
    with django_assert_num_queries(1):
        cached = visitor.get(path)
    assert cached.status_code == 200
    assert without_cookies(cached) == without_cookies(fresh)
    assert set(cached.cookies) == set(fresh.cookies)
    assert TOKEN.sub("", cached.content.decode()) == TOKEN.sub("", fresh.content.decode())
    assert cached.headers["ETag"]
    if fresh.get("Content-Type", "").startswith("text/html"):
        assert fresh.headers["Content-Language"] == "nl"
        assert "Cookie" in fresh.headers["Vary"]


def test_the_health_check_and_the_admin_are_not_cached(client):
    client.get("/gezondheid/")
    assert stored_entries() == []
    with CaptureQueriesContext(connection) as captured:
        client.get("/gezondheid/")
    assert not any("core_dataversion" in q["sql"] for q in captured.captured_queries)
    client.get("/admin/login/")
    assert stored_entries() == []


def test_a_database_that_does_not_answer_leaves_the_health_check_its_503(monkeypatch):
    def down() -> str:
        raise OperationalError("connection refused")

    monkeypatch.setattr(pagecache, "database_token", down)
    monkeypatch.setattr("imvo.web.public.views.database_health", lambda: "connection refused")
    response = Client().get("/gezondheid/")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}  # the detail is logged, not shown


# Every write changes the next page


def _rename_by_service(officer, client, data_copy) -> None:
    ser = Organisation.objects.get(key="ser")
    organisation_update(organisation=ser, data={"name_nl": NEW_NAME}, actor=Actor("Full", officer))


def _rename_in_the_admin(officer, client, data_copy) -> None:
    admin = login_verified(Client(), officer)  # the admin needs the second factor
    ser = Organisation.objects.get(key="ser")
    form = {k: ("" if v is None else v) for k, v in model_to_dict(ser).items() if k != "id"}
    form.update(name_nl=NEW_NAME, change_reason="Full name")
    response = admin.post(f"/admin/organisations/organisation/{ser.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def _rename_by_the_loader(officer, client, data_copy: Path) -> None:
    path = data_copy / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"name_nl: {OLD_NAME},", f"name_nl: {NEW_NAME},"))
    report = reference_data_load(data_dir=data_copy, user=system_user())
    assert report.updated == {"organisations.organisation": 1}


@pytest.mark.parametrize(
    "write",
    [_rename_by_service, _rename_in_the_admin, _rename_by_the_loader],
    ids=lambda f: f.__name__,
)
def test_a_write_through_any_channel_changes_the_next_page(write, officer, client, data_copy):
    before = client.get("/organisaties/")
    assert OLD_NAME in before.content.decode() and NEW_NAME not in before.content.decode()
    assert client.get("/organisaties/").headers["ETag"] == before.headers["ETag"]  # cached
    token = version_token()
    write(officer, client, data_copy)
    assert version_token() != token
    after = client.get("/organisaties/")
    assert NEW_NAME in after.content.decode()
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_write_that_changes_nothing_keeps_the_version(officer):
    token = version_token()
    ser = Organisation.objects.get(key="ser")
    organisation_update(
        organisation=ser, data={"name_nl": ser.name_nl}, actor=Actor("Same", officer)
    )
    assert version_token() == token


def test_a_reload_of_unchanged_reference_data_keeps_the_version():
    token = version_token()
    report = reference_data_load(user=system_user())
    assert not report.changed
    assert version_token() == token


def test_a_change_of_many_to_many_relations_changes_the_version(officer):
    trajectory = Sector.objects.get(slug="textile").trajectories.first()
    token = version_token()
    audited_set_m2m(trajectory, "sectors", [], actor=Actor("x", officer))
    assert version_token() != token


def test_a_migration_changes_the_version():
    token = version_token()
    call_command("migrate", verbosity=0)
    assert version_token() != token


def test_the_version_row_comes_back_after_a_flush():
    DataVersion.objects.all().delete()
    assert pagecache.database_token() == ""
    data_changed()
    assert len(version_token()) == 32


def test_a_cached_200_is_never_served_once_the_page_is_gone(officer):
    source = Source.objects.first()
    sector = sector_create(
        data={"slug": "proefsector", "name_nl": "Proefsector", "source": source},
        actor=Actor("Test", officer),
    )
    assert Client().get("/sectoren/proefsector/").status_code == 200
    assert Client().get("/sectoren/proefsector/").status_code == 200
    sector_delete(sector=sector, actor=Actor("Test", officer))
    assert Client().get("/sectoren/proefsector/").status_code == 404
    # ... and a renamed slug answers 404 at the old address, 200 at the new one.
    textile = Sector.objects.get(slug="textile")
    assert Client().get("/sectoren/textile/").status_code == 200
    sector_update(sector=textile, data={"slug": "textiel"}, actor=Actor("Test", officer))
    assert Client().get("/sectoren/textile/").status_code == 404
    assert Client().get("/sectoren/textiel/").status_code == 200


def test_user_data_files_are_part_of_the_version(tmp_path):
    with override_settings(VAR_DIR=tmp_path):
        before = pagecache.data_version()
        (tmp_path / "userdata").mkdir()
        assert pagecache.data_version() == before  # an empty folder reads nothing
        (tmp_path / "userdata" / "ti_cpi.csv").write_text("iso3,year,score\n")
        assert pagecache.data_version() != before


def test_the_date_is_part_of_the_version_and_changes_at_local_midnight(monkeypatch):
    zone = timezone.get_current_timezone()
    before_midnight = dt.datetime(2026, 3, 28, 23, 59, 59, tzinfo=zone)
    monkeypatch.setattr(timezone, "now", lambda: before_midnight)
    assert pagecache.local_date() == "2026-03-28"
    monkeypatch.setattr(timezone, "now", lambda: before_midnight + dt.timedelta(seconds=1))
    assert pagecache.local_date() == "2026-03-29"  # the night the clocks go forward
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC))
    assert pagecache.local_date() == "2026-03-30"  # 00:30 in Amsterdam (summer time)
    assert pagecache.local_date() == timezone.localdate(timezone.now()).isoformat()


# What never shares an entry, and what is never cached


def test_languages_and_query_strings_never_share_an_entry(client):
    dutch = client.get("/organisaties/")
    english = Client().get("/organisaties/?lang=en")
    chosen = Client()
    chosen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = chosen.get("/organisaties/")
    assert dutch.headers["Content-Language"] == "nl"
    assert english.headers["Content-Language"] == "en"
    assert by_cookie.headers["Content-Language"] == "en"
    assert Client().get("/organisaties/").headers["Content-Language"] == "nl"
    assert len({dutch.headers["ETag"], english.headers["ETag"], by_cookie.headers["ETag"]}) == 3
    earlier = Client().get("/?peildatum=2016-06-17")
    now = Client().get("/")
    assert earlier.content != now.content
    assert (
        Client().get("/?peildatum=2016-06-17").content.split(b"csrfmiddlewaretoken")[0]
        == earlier.content.split(b"csrfmiddlewaretoken")[0]
    )
    keys = {
        pagecache.page_key(RequestFactory().get(path))
        for path in (
            "/",
            "/?peildatum=2016-06-17",
            "/?peildatum=2016-06-17&x=1",
            "/?x=1&peildatum=2016-06-17",
        )
    }
    assert len(keys) == 4


def test_a_signed_in_visitor_always_gets_a_fresh_page(officer, django_assert_max_num_queries):
    signed_in = Client()
    signed_in.force_login(officer)
    signed_in.get("/organisaties/")
    assert stored_entries() == []
    Client().get("/organisaties/")  # an anonymous visitor fills the cache ...
    assert len(stored_entries()) == 1
    with django_assert_max_num_queries(100) as captured:
        signed_in.get("/organisaties/")  # ... which the signed-in visitor does not use
    assert len(captured.captured_queries) > 2


def test_post_is_never_cached_nor_answered_from_the_cache(client):
    client.get("/organisaties/")
    response = client.post("/organisaties/")
    assert response.status_code == 405
    assert len(stored_entries()) == 1


def test_errors_are_not_cached(client):
    assert client.get("/trajecten/does-not-exist/").status_code == 404
    assert client.get("/?peildatum=gisteren").status_code == 400
    assert stored_entries() == []


def test_head_is_answered_from_the_entry_of_get(client, django_assert_num_queries):
    client.get("/bronnen/")
    with django_assert_num_queries(1):
        response = Client().head("/bronnen/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("x", status=404),
        HttpResponse("x", status=302),
        StreamingHttpResponse(iter([b"x"])),
        HttpResponse("x", headers={"Vary": "Accept-Encoding"}),
        HttpResponse("x", headers={"Cache-Control": "private"}),
        HttpResponse("x", headers={"Cache-Control": "no-store"}),
    ],
    ids=["404", "redirect", "streaming", "vary", "private", "no-store"],
)
def test_answers_that_must_not_be_stored_are_not(response):
    request = RequestFactory().get("/")
    request.resolver_match = type("Match", (), {"func": pagecache.cached_page(lambda r: r)})()
    assert pagecache.make_entry(request, response, csrf_used=False) is None


def test_an_answer_that_sets_a_cookie_or_of_an_unmarked_view_is_not_stored():
    request = RequestFactory().get("/")
    request.resolver_match = type("Match", (), {"func": pagecache.cached_page(lambda r: r)})()
    response = HttpResponse("x")
    response.set_cookie("mine", "1")
    assert pagecache.make_entry(request, response, csrf_used=False) is None
    request.resolver_match = type("Match", (), {"func": lambda r: r})()
    assert pagecache.make_entry(request, HttpResponse("x"), csrf_used=False) is None


@override_settings(IMVO_PAGE_CACHE=False)
def test_the_cache_can_be_switched_off(client, django_assert_max_num_queries):
    client.get("/organisaties/")
    assert stored_entries() == []


# CSRF tokens and ETags


def test_no_visitor_token_enters_the_cache_and_each_gets_their_own():
    first, second = Client(), Client()
    page_one = first.get("/organisaties/")
    page_two = second.get("/organisaties/")
    secret_one = first.cookies["csrftoken"].value
    secret_two = second.cookies["csrftoken"].value
    assert secret_one != secret_two
    token_one = TOKEN.search(page_one.content.decode()).group(1)
    token_two = TOKEN.search(page_two.content.decode()).group(1)
    assert _does_token_match(token_one, secret_one)
    assert _does_token_match(token_two, secret_two)
    (entry,) = stored_entries()
    stored = b"".join(entry.parts)
    assert entry.csrf and len(entry.parts) == 2
    assert secret_one.encode() not in stored and secret_two.encode() not in stored
    assert not TOKEN.search(stored.decode())
    assert page_one.headers["ETag"] != page_two.headers["ETag"]  # the ETag is per visitor


def test_a_token_from_a_cached_page_passes_the_csrf_check():
    Client().get("/bronnen/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/bronnen/")
    token = TOKEN.search(page.content.decode()).group(1)
    response = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/bronnen/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert visitor.get("/bronnen/").headers["Content-Language"] == "en"


def test_the_fast_csrf_token_is_what_django_makes():
    factory = RequestFactory()
    for _ in range(200):
        new_visitor = factory.get("/")
        token = pagecache.csrf_token(new_visitor)
        secret = new_visitor.META["CSRF_COOKIE"]
        assert len(secret) == CSRF_SECRET_LENGTH
        _check_token_format(secret)
        _check_token_format(token)
        assert _does_token_match(token, secret)
        assert new_visitor.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    returning = factory.get("/")
    returning.META["CSRF_COOKIE"] = secret
    tokens = {pagecache.csrf_token(returning) for _ in range(50)}
    assert len(tokens) == 50  # a fresh mask on every answer
    assert all(_does_token_match(t, secret) for t in tokens)
    assert returning.META["CSRF_COOKIE"] == secret


def test_an_etag_gives_304_until_the_next_write(officer):
    visitor = Client()
    page = visitor.get("/organisaties/")
    etag = page.headers["ETag"]
    assert visitor.get("/organisaties/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    fresh_etag = Client().get("/organisaties/").headers["ETag"]
    assert fresh_etag != etag  # another visitor, another token, another ETag
    ser = Organisation.objects.get(key="ser")
    organisation_update(organisation=ser, data={"name_nl": NEW_NAME}, actor=Actor("Full", officer))
    again = visitor.get("/organisaties/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and NEW_NAME in again.content.decode()


def test_the_heatmap_image_keeps_its_own_etag():
    first = Client().get("/risico/heatmap.svg")
    second = Client().get("/risico/heatmap.svg")
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Cache-Control"] == second.headers["Cache-Control"]
    assert (
        Client().get("/risico/heatmap.svg", HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code
        == 304
    )


# Several processes


SEPARATE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "a"},
    "other": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
}


@override_settings(CACHES=SEPARATE)
def test_a_process_sees_the_write_of_another_through_the_database(officer):
    """Two processes with a cache each: a write in one changes the next page of the other."""
    caches["default"].clear()
    caches["other"].clear()
    with override_settings(IMVO_PAGE_CACHE_ALIAS="default"):
        assert OLD_NAME in Client().get("/organisaties/").content.decode()
    with override_settings(IMVO_PAGE_CACHE_ALIAS="other"):
        assert OLD_NAME in Client().get("/organisaties/").content.decode()
        ser = Organisation.objects.get(key="ser")
        organisation_update(organisation=ser, data={"name_nl": NEW_NAME}, actor=Actor("B", officer))
    with override_settings(IMVO_PAGE_CACHE_ALIAS="default"):
        assert NEW_NAME in Client().get("/organisaties/").content.decode()


def _redis_answers() -> bool:
    if importlib.util.find_spec("redis") is None:
        return False
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379 or no redis package")
def test_two_processes_share_pages_through_redis(officer, django_assert_num_queries):
    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"imvo-test-{DataVersion.objects.get().token}",
    }
    with override_settings(CACHES={"default": shared, "other": shared}):
        try:
            with override_settings(IMVO_PAGE_CACHE_ALIAS="default"):
                first = Client().get("/organisaties/")
            with override_settings(IMVO_PAGE_CACHE_ALIAS="other"), django_assert_num_queries(1):
                second = Client().get("/organisaties/")  # stored by the other client
            assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
            ser = Organisation.objects.get(key="ser")
            organisation_update(
                organisation=ser, data={"name_nl": NEW_NAME}, actor=Actor("B", officer)
            )
            with override_settings(IMVO_PAGE_CACHE_ALIAS="default"):
                assert NEW_NAME in Client().get("/organisaties/").content.decode()
        finally:
            caches["default"].clear()


def test_a_cache_that_does_not_answer_leaves_the_pages_working(caplog):
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    if importlib.util.find_spec("redis") is None:
        pytest.skip("no redis package")
    with override_settings(CACHES=broken):
        response = Client().get("/bronnen/")
    assert response.status_code == 200
    assert "page cache: cannot read" in caplog.text


# Settings


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("unix:///run/redis.sock", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_url_selects_the_backend(url, backend):
    from imvo.conf import settings as conf

    if backend.endswith("RedisCache") and importlib.util.find_spec("redis") is None:
        pytest.skip("no redis package")
    assert conf._cache(url)["BACKEND"] == backend


def test_an_unknown_cache_url_is_refused_without_showing_it(cli_env):
    from tests.conftest import run_imvo

    result = run_imvo("status", env={**cli_env, "IMVO_CACHE_URL": "memcached://user:pw@h:1/"})
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith(
        "imvo: error: settings: IMVO_CACHE_URL has the unknown scheme 'memcached://'"
    )
    assert "pw" not in line
