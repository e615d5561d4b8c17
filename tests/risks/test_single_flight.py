"""The SRA and its heat-map picture are computed once per data version and process.

After a data change, simultaneous requests wait for the one computation in flight instead of
each starting their own (six recomputations once took 200 s and 6.7 GB); the values of the old
version are dropped. The heat-map picture carries an ETag, and a client that has it gets 304.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

import imvo.web.public.risk_views as risk_views
from imvo.opendata.userdata import import_user_data
from imvo.risks import selectors
from imvo.risks.selectors import SingleFlight, sra_result, userdata_dir

THREADS = 6


def _at_once(n: int, task: Callable[[], Any]) -> list[Any]:
    """Run ``task`` in ``n`` threads released together; their results (or exceptions)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = task()
        except Exception as exc:  # returned, so the test can look at it
            results[i] = exc
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


class Counted:
    """Wraps a function, counting calls and widening the window in which requests overlap."""

    def __init__(self, function: Callable[..., Any], delay: float = 0.3) -> None:
        self.function, self.delay, self.calls = function, delay, 0
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        time.sleep(self.delay)
        return self.function(*args, **kwargs)


# The mechanism on its own ------------------------------------------------------------------


def test_concurrent_misses_compute_once_and_share_the_value() -> None:
    cache: SingleFlight[object] = SingleFlight()
    compute = Counted(object)
    results = _at_once(8, lambda: cache.get("v1", "sra", compute))
    assert compute.calls == 1
    assert all(r is results[0] for r in results)
    assert cache.get("v1", "sra", compute) is results[0] and compute.calls == 1


def test_a_new_version_computes_once_more_and_drops_the_old_one() -> None:
    cache: SingleFlight[object] = SingleFlight()
    compute = Counted(object, delay=0.0)
    first = cache.get("v1", "sra", compute)
    cache.get("v1", "svg", compute)
    second = cache.get("v2", "sra", compute)
    assert compute.calls == 3 and second is not first
    assert list(cache._values) == ["sra"]  # only the newest version's values are kept
    assert cache.get("v2", "sra", compute) is second and compute.calls == 3


def test_a_failed_computation_reaches_every_waiter_and_is_not_stored() -> None:
    cache: SingleFlight[object] = SingleFlight()

    def fail() -> object:
        raise RuntimeError("database went away")

    failing = Counted(fail)
    results = _at_once(5, lambda: cache.get("v1", "sra", failing))
    assert failing.calls == 1
    assert all(isinstance(r, RuntimeError) for r in results)
    assert cache.get("v1", "sra", object) is not None  # the next call tries again
    assert not cache._flights


# The analysis -------------------------------------------------------------------------------


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    selectors._CACHE.clear()
    yield
    selectors._CACHE.clear()


def _import_cpi(tmp_path: Path, score: int) -> None:
    source = tmp_path / f"cpi-{score}.csv"
    source.write_text(f"iso3,year,score\nCHN,2024,{score}\n", encoding="utf-8")
    import_user_data(kind="ti_cpi", source=source, directory=userdata_dir())


@pytest.mark.django_db
def test_simultaneous_requests_after_a_data_change_compute_the_sra_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    compute = Counted(selectors.compute_sra)
    monkeypatch.setattr(selectors, "compute_sra", compute)
    with override_settings(VAR_DIR=tmp_path):
        before = sra_result()
        assert compute.calls == 1
        _import_cpi(tmp_path, 2)
        results = _at_once(THREADS, sra_result)
        assert compute.calls == 2
        assert all(r is results[0] for r in results) and results[0] is not before
        assert "ti_cpi" in results[0].user_data.imports
        assert sra_result() is results[0] and compute.calls == 2
        _import_cpi(tmp_path, 40)  # a later change: one more computation
        later = _at_once(THREADS, sra_result)
        assert compute.calls == 3
        assert all(r is later[0] for r in later) and later[0] is not results[0]


# The heat-map picture -------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> Counted:
    counted = Counted(risk_views.heatmap)
    monkeypatch.setattr(risk_views, "heatmap", counted)
    return counted


def _svg(headers: dict[str, str] | None = None, query: str = "") -> Any:
    return Client(headers=headers or {}).get(f"/risico/heatmap.svg{query}")


@pytest.mark.django_db
def test_parallel_heatmap_requests_draw_the_picture_once(tmp_path: Path, renders: Counted) -> None:
    with override_settings(VAR_DIR=tmp_path):
        responses = _at_once(8, _svg)
        assert renders.calls == 1
        assert {r.status_code for r in responses} == {200}
        assert len({r.content for r in responses}) == 1
        assert responses[0].content.lstrip().startswith(b"<?xml")
        assert len({r["ETag"] for r in responses}) == 1
        assert responses[0]["Cache-Control"] == "public, max-age=300"
        _svg(query="?lang=en")
        _svg(query="?alle=1")
        assert renders.calls == 3  # one picture per language and number of rows
        _svg(query="?lang=en")
        assert renders.calls == 3


@pytest.mark.django_db
def test_heatmap_etag_and_not_modified(tmp_path: Path, renders: Counted) -> None:
    with override_settings(VAR_DIR=tmp_path):
        first = _svg()
        etag = first["ETag"]
        assert first.status_code == 200 and etag.startswith('"') and etag.endswith('"')
        for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            again = _svg({"If-None-Match": header})
            assert again.status_code == 304 and again.content == b""
            assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=300"
        assert _svg({"If-None-Match": '"stale"'}).status_code == 200
        assert renders.calls == 1
        english = _svg(query="?lang=en")
        assert english["ETag"] != etag  # the parameters are part of the tag
        assert _svg({"If-None-Match": etag}, query="?alle=1").status_code == 200
        _import_cpi(tmp_path, 2)  # a data change: a new tag, drawn once more
        changed = _svg({"If-None-Match": etag})
        assert changed.status_code == 200 and changed["ETag"] not in (etag, english["ETag"])
        assert renders.calls == 4
