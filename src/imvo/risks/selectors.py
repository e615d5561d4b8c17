"""Django-side entry points to the Sector Risk Analysis for views and commands.

``sra_result()`` returns a cached :class:`~imvo.analysis.sra.SRAResult` (language-free). The
programme's records are the single source for two inputs: the sectors' NACE codes (which
divisions a programme sector covers) and the existing initiatives with their coverage estimates
("extent already addressed"). The cache key (the *data version*) is the state of the
user-data directory and of those records, so an ``imvo data import`` or an edit in the admin
shows on the next call. The cache is single-flight (:class:`SingleFlight`): per process, each
value is computed once per data version, concurrent requests for it wait for the one
computation in flight, and the values of older versions are dropped. Stored user data that
cannot be read makes the analysis unavailable, not the pages: the page selectors raise
:class:`~imvo.core.errors.DataError` with a message for the page, ``division_summaries``
returns no rows and the ``problem``.
The page selectors (``sra_heatmap_page``, ``sra_division_page``) return plain data: the
result and explanations (codes and numbers) with the programme's records the pages show, in
the language asked for; :mod:`imvo.reports.sra` turns them into template data (names, notes
and the heat-map colours). This module imports no exporter (the layers, see
docs/architecture.md).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext, ngettext

from imvo import __version__
from imvo.analysis.sra import (
    Explanation,
    Mitigation,
    SRAResult,
    default_model,
    explain,
    mitigations_from_records,
    run_sra,
)
from imvo.core.errors import DataError, NotFound
from imvo.initiatives.models import Initiative
from imvo.opendata.userdata import load_user_data
from imvo.sectors.models import Sector
from imvo.trajectories.models import Trajectory

HEATMAP_ROWS = 30  # rows of the heat-map page unless all are asked for

logger = logging.getLogger(__name__)


def userdata_dir() -> Path:
    """Where user imports live: ``settings.VAR_DIR / "userdata"`` (outside the package)."""
    return Path(settings.VAR_DIR) / "userdata"


def nace_divisions() -> list[str]:
    """The NACE Rev.2 divisions the analysis scores (two digits), in their shipped order."""
    return list(default_model().sectors["nace"])


def programme_nace() -> dict[str, list[str]]:
    """Programme sector slug → its NACE codes, as the database records them."""
    return {s.slug: list(s.nace_codes) for s in Sector.objects.all()}


def recorded_initiatives() -> dict[str, list[Mitigation]]:
    """Sector slug → recorded initiatives that carry a coverage estimate, citing their source."""
    records = [
        {
            "name": i.name_nl,
            "sectors": [s.slug for s in i.sectors.all()],
            "risk_themes": i.risk_themes,
            "coverage": i.coverage,
            "source": f"{i.source}, {i.source_locator}",
        }
        for i in Initiative.objects.select_related("source").prefetch_related("sectors")
    ]
    return mitigations_from_records(records)


def compute_sra(*, initiatives: Mapping[str, Sequence[Mitigation]] | None = None) -> SRAResult:
    """Run the analysis now on shipped data, the user's imports and the programme's records."""
    return run_sra(
        model=default_model(),
        user_data=load_user_data(directory=userdata_dir()),
        programme=programme_nace(),
        initiatives=recorded_initiatives() if initiatives is None else initiatives,
    )


def _records_state() -> tuple[Any, ...]:
    """Changes whenever a sector or initiative is written (their audit history grows)."""
    state = []
    for model in (Sector, Initiative):
        history = model.history.aggregate(n=Count("pk"), last=Max("history_date"))  # type: ignore[attr-defined]
        state.append((history["n"], history["last"]))
    return tuple(state)


def _userdata_state(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in directory.iterdir()
            if p.suffix in (".csv", ".json")
        )
    )


def data_version() -> tuple[Any, ...]:
    """The state of everything the analysis reads besides the shipped pack (cheap to ask)."""
    return (_userdata_state(userdata_dir()), _records_state())


T = TypeVar("T")


@dataclass
class _Flight:
    """One computation in flight; those who asked for the same value wait for ``done``."""

    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    error: BaseException | None = None


class SingleFlight(Generic[T]):
    """Values computed once per (version, name), for the newest version only.

    ``get`` returns the stored value or computes it; concurrent calls for a value being
    computed wait for that one computation (a per-key :class:`threading.Event`) instead of
    starting their own. Asking for a version other than the current one makes it current and
    drops the values of the old version, so memory holds one version's values (plus those in
    flight). A computation that raises stores nothing: its waiters get the same exception
    and the next call tries again. The lock guards only the bookkeeping, never a computation.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: Hashable = None
        self._values: dict[Hashable, T] = {}
        self._flights: dict[tuple[Hashable, Hashable], _Flight] = {}

    def get(self, version: Hashable, name: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:
                self._version, self._values = version, {}
            if name in self._values:
                return self._values[name]
            flight = self._flights.get((version, name))
            leader = flight is None
            if flight is None:
                flight = self._flights[(version, name)] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[no-any-return]
        try:
            flight.value = compute()
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[(version, name)]
                if flight.error is None and version == self._version:
                    self._values[name] = flight.value
            flight.done.set()
        return flight.value  # type: ignore[no-any-return]

    def clear(self) -> None:
        """Forget every stored value (computations in flight finish for their waiters)."""
        with self._lock:
            self._version, self._values = None, {}


_CACHE: SingleFlight[Any] = SingleFlight()


@dataclass(frozen=True)
class _Unavailable:
    """The analysis of a data version that cannot be computed: the stored data is invalid."""

    error: DataError


def _compute_or_problem() -> SRAResult | _Unavailable:
    try:
        return compute_sra()
    except DataError as exc:  # the same data gives the same error: store it for this version
        logger.warning("Sector Risk Analysis unavailable: %s", exc)
        return _Unavailable(exc)


def _result_at(version: Hashable) -> SRAResult:
    outcome = _CACHE.get(version, "sra", _compute_or_problem)
    if isinstance(outcome, _Unavailable):
        error = outcome.error  # raised afresh: a stored exception collects tracebacks
        raise DataError(
            error.message, location=error.location, problems=error.problems, issues=error.issues
        )
    return outcome  # type: ignore[no-any-return]


def sra_result() -> SRAResult:
    """The cached analysis result (recomputed after an import or an edit of the records).

    Raises :class:`~imvo.core.errors.DataError` when the stored user data cannot be read.
    """
    return _result_at(data_version())


def _place(name: str, rows: list[int]) -> str:
    """``ti_cpi.csv (rows 2, 5)`` in the active language (the first five rows)."""
    if not rows:
        return name
    listed = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    template = ngettext("%(file)s (row %(rows)s)", "%(file)s (rows %(rows)s)", len(rows))
    return template % {"file": name, "rows": listed}


def _unavailable(error: DataError, *, lang: str) -> DataError:
    """The error for a page in ``lang``: which stored files (and rows) are invalid, but not
    their content (restricted-licence data stays in the installation)."""
    places: dict[str, list[int]] = {}
    for issue in error.issues:
        rows = places.setdefault(Path(str(issue.file)).name, [])
        if isinstance(issue.row, int) and issue.row not in rows:
            rows.append(issue.row)
    if not places:
        location = error.location or next((p.location for p in error.problems), "")
        places[Path(location).name if location else userdata_dir().name] = []
    with translation.override(lang):
        files = ", ".join(_place(name, rows) for name, rows in places.items())
        message = gettext(
            "The Sector Risk Analysis is not available: the stored user data in %(files)s is "
            "invalid. An administrator can check it with 'imvo data list', remove it with "
            "'imvo data remove' or import a corrected file with 'imvo data import'."
        ) % {"files": files}
    return DataError(message, location=error.location)


def _page_result(*, lang: str) -> SRAResult:
    """``sra_result()`` for a page: its DataError carries a message in ``lang``."""
    try:
        return sra_result()
    except DataError as exc:
        raise _unavailable(exc, lang=lang) from exc


class DivisionSummaries(list[dict[str, Any]]):
    """Rows of :func:`division_summaries`; ``problem`` says, in the page's language, why there
    are none when the analysis is not available (else None)."""

    def __init__(self, rows: Sequence[dict[str, Any]] = (), *, problem: str | None = None):
        super().__init__(rows)
        self.problem = problem


def division_summaries(*, naces: Sequence[str], lang: str) -> DivisionSummaries:
    """Rank, scores and top theme of the given NACE divisions (for sector and trajectory pages).

    When the analysis is not available the result has no rows and says why in ``problem``:
    the rest of those pages does not depend on it.
    """
    try:
        result = _page_result(lang=lang)
    except DataError as exc:
        return DivisionSummaries(problem=exc.message)
    sectors = result.model.sector_names(lang)
    themes = result.model.theme_names(lang)
    frame = result.sectors[result.sectors["nace"].isin(list(naces))]
    rows = [
        {
            "nace": row.nace,
            "sector": sectors[row.nace],
            "rank": int(row.rank),
            "score": float(row.score),
            "residual_score": float(row.residual_score),
            "top_theme": themes.get(row.top_theme, row.top_theme),
        }
        for row in frame.itertuples()
    ]
    return DivisionSummaries(rows)


def sra_explanation(*, nace: str, lang: str, theme: str | None = None) -> Explanation:
    """Explanation of one NACE division (and theme); ``lang`` is the language of the error.

    Raises :class:`~imvo.core.errors.NotFound` for an unknown division or theme and
    :class:`~imvo.core.errors.DataError` (message in ``lang``) when the analysis is not
    available.
    """
    result = _page_result(lang=lang)
    with translation.override(lang):
        if nace not in set(result.sectors["nace"]):
            message = gettext("No NACE division '%(nace)s' in the analysis.") % {"nace": nace}
            raise NotFound(message, field="nace")
        if theme is not None and theme not in result.model.theme_codes:
            raise NotFound(gettext("No risk theme '%(theme)s'.") % {"theme": theme}, field="theme")
    return explain(result=result, nace=nace, theme=theme)


@dataclass(frozen=True)
class HeatmapPage:
    """The heat-map page: the result, how many rows to show and the programme sector names."""

    result: SRAResult
    top: int | None
    programme_names: dict[str, str]


def sra_heatmap_page(*, lang: str, show_all: bool) -> HeatmapPage:
    """The heat-map page's data: all divisions, or the top ``HEATMAP_ROWS``.

    Raises :class:`~imvo.core.errors.DataError` (message in ``lang``) when the analysis is
    not available.
    """
    result = _page_result(lang=lang)
    with translation.override(lang):
        names = {s.slug: s.name for s in Sector.objects.all()}
    return HeatmapPage(result, None if show_all else HEATMAP_ROWS, names)


@dataclass(frozen=True)
class HeatmapImage:
    """The heat-map picture of the current data version: its ``etag`` is known at once
    (from the version, language, rows and software version); ``content()`` renders it once
    per version and process (single-flight) and raises DataError when the analysis is not
    available."""

    etag: str
    _content: Callable[[], bytes] = field(repr=False, compare=False)

    def content(self) -> bytes:
        return self._content()


def sra_heatmap_image(
    *, lang: str, show_all: bool, fmt: str, render: Callable[[SRAResult, int | None], bytes]
) -> HeatmapImage:
    """The heat-map picture in ``fmt`` of all divisions or the top ``HEATMAP_ROWS``, drawn by
    ``render(result, top)`` (the channel passes the exporter; this module imports none)."""
    version = data_version()
    top = None if show_all else HEATMAP_ROWS
    name = ("heatmap", fmt, lang, top)
    digest = hashlib.sha256(repr((__version__, version, name)).encode("utf-8")).hexdigest()

    def content() -> bytes:
        def draw() -> bytes:
            try:
                result = _result_at(version)
            except DataError as exc:
                raise _unavailable(exc, lang=lang) from exc
            return render(result, top)

        return _CACHE.get(version, name, draw)  # type: ignore[no-any-return]

    return HeatmapImage(f'"{digest[:32]}"', content)


@dataclass(frozen=True)
class DivisionPage:
    """A division page: its explanation (and one theme's), and the programme's records."""

    result: SRAResult
    explanation: Explanation
    detail: Explanation | None
    initiatives: list[dict[str, Any]]
    sectors: list[dict[str, str]]
    trajectories: list[dict[str, str]]


def sra_division_page(*, nace: str, lang: str, theme: str | None = None) -> DivisionPage:
    """Everything a division page shows: the explanation (all themes, and one theme if asked),
    the programme sectors and trajectories it belongs to and the recorded initiatives.

    Raises :class:`~imvo.core.errors.NotFound` for an unknown division or theme and
    :class:`~imvo.core.errors.DataError` (message in ``lang``) when the analysis is not
    available.
    """
    result = _page_result(lang=lang)
    explanation = sra_explanation(nace=nace, lang=lang)
    detail = sra_explanation(nace=nace, lang=lang, theme=theme) if theme else None
    slugs = explanation.programme_sectors
    names = result.model.theme_names(lang)
    with translation.override(lang):
        initiatives = [
            {
                "name": i.name,
                "coverage_rationale": i.coverage_rationale,
                "themes": [names.get(code, code) for code in i.risk_themes],
                "coverage": i.coverage,
                "source": str(i.source),
                "source_locator": i.source_locator,
            }
            for i in Initiative.objects.filter(sectors__slug__in=slugs, coverage__isnull=False)
            .select_related("source")
            .distinct()
        ]
        sectors = [{"slug": s.slug, "name": s.name} for s in Sector.objects.filter(slug__in=slugs)]
        trajectories = [
            {"slug": t.slug, "name": t.name}
            for t in Trajectory.objects.filter(sectors__slug__in=slugs).distinct()
        ]
    return DivisionPage(result, explanation, detail, initiatives, sectors, trajectories)
