"""The reviewable inputs of the Sector Risk Analysis, loaded and checked (pure, no Django).

Everything a reviewer may want to challenge lives as data in ``data/``: themes and indicators
(``themes.yaml``), the NACE Rev.2 divisions (``nace_divisions.csv``), products with hazard
levels (``products.csv``), sourcing countries (``product_sources.csv``) and value chains
(``value_chains.csv``, ``shared_profiles.csv``). :func:`load_model` reads them and refuses
inconsistent files with a :class:`~imvo.core.errors.DataError` naming the file and row. The
programme sectors and the existing initiatives are the programme's records: callers pass them
to :func:`~imvo.analysis.sra.run_sra` (see :mod:`imvo.risks.selectors`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from imvo.core.errors import DataError
from imvo.opendata import DATA_DIR as PACK_DIR
from imvo.opendata import Dataset, iso3_codes, load_pack

DATA_DIR = Path(__file__).resolve().parent / "data"
HAZARD_LEVELS = 3  # hazard levels 0..3 map to 0, 1/3, 2/3, 1
SOURCE_SUM_TOLERANCE = 1e-6

THEME_CODES: tuple[str, ...] = (
    "child_labour",
    "forced_labour",
    "working_conditions",
    "freedom_of_association",
    "discrimination_women",
    "land_rights",
    "human_rights_conflict",
    "corruption",
    "deforestation_biodiversity",
    "climate",
    "pollution_water",
)


def divisions_of(codes: Iterable[str]) -> list[str]:
    """The two-digit NACE Rev.2 divisions that NACE codes lie in, unique, in first-seen order.

    ``["13", "14.1", "46.41", "13.20"]`` → ``["13", "14", "46"]``: each code counts for the
    division it lies in. This is the one mapping from NACE codes to divisions of the project.
    """
    return list(dict.fromkeys(str(code).strip()[:2] for code in codes))


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    column: str
    low: float
    high: float
    invert: bool
    label_nl: str
    label_en: str
    dataset: str | None = None  # shipped dataset id
    user: str | None = None  # user data kind (restricted licence, only when imported)
    fallback: str | None = None
    substitute_only: bool = False

    def label(self, lang: str) -> str:
        return self.label_nl if lang == "nl" else self.label_en

    @property
    def source_id(self) -> str:
        return self.dataset if self.dataset else f"user:{self.user}"

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Map raw values to a risk in [0, 1] (1 = highest risk); NaN stays NaN."""
        risk = (values - self.low) / (self.high - self.low)
        risk = np.clip(risk, 0.0, 1.0)
        return 1.0 - risk if self.invert else risk


@dataclass(frozen=True, slots=True)
class RiskTheme:
    """A risk theme of the analysis (not the programme's ``imvo.risks.models.Theme`` record)."""

    code: str
    name_nl: str
    name_en: str
    oecd: str
    scale: float
    irremediability: float
    indicators: Mapping[str, float]
    evidence: str | None

    def name(self, lang: str) -> str:
        return self.name_nl if lang == "nl" else self.name_en

    @property
    def gravity(self) -> float:
        """Theme part of severity: mean of scale and irremediability (0-1)."""
        return (self.scale + self.irremediability) / 2.0


@dataclass(frozen=True)
class SRAModel:
    """All static inputs: reviewable data plus the validated open data pack."""

    themes: tuple[RiskTheme, ...]
    indicators: Mapping[str, Indicator]
    sectors: pd.DataFrame  # nace, section, name_nl, name_en (index 0..n-1)
    products: pd.DataFrame  # index product; name_nl, name_en, hs_code, ilab_goods, rationale
    hazards: np.ndarray  # (n_products, n_themes) in [0, 1]
    sources: pd.DataFrame  # product, iso3, share, basis, rationale
    chains: pd.DataFrame  # nace, item, weight, rationale
    profiles: pd.DataFrame  # profile, item, weight, rationale
    pack: Mapping[str, Dataset]
    countries: tuple[str, ...]

    @property
    def theme_codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.themes)

    def sector_names(self, lang: str) -> dict[str, str]:
        """NACE division → its title in ``lang`` (for the outputs; the computation uses none)."""
        column = "name_nl" if lang == "nl" else "name_en"
        return dict(zip(self.sectors["nace"], self.sectors[column], strict=True))

    def theme_names(self, lang: str) -> dict[str, str]:
        """Theme code → its name in ``lang`` (for the outputs; the computation uses none)."""
        return {t.code: t.name(lang) for t in self.themes}


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{path.name}: cannot be read ({exc})") from None
    frame.index = frame.index + 2  # CSV row numbers (header = row 1)
    return frame


def _fail(path: Path, row: int | None, message: str) -> DataError:
    where = path.name if row is None else f"{path.name}, row {row}"
    return DataError(f"{where}: {message}", location=where)


def _float(path: Path, row: int, column: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _fail(path, row, f"{column} {text!r} is not a number") from None
    if not low <= value <= high:
        raise _fail(path, row, f"{column} {value:g} outside [{low:g}, {high:g}]")
    return value


def _load_themes(path: Path) -> tuple[tuple[RiskTheme, ...], dict[str, Indicator]]:
    try:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path.name}: cannot be read ({exc})") from None
    indicators: dict[str, Indicator] = {}
    for key, spec in raw["indicators"].items():
        transform = spec["transform"]
        if transform.get("kind") != "linear" or transform["low"] == transform["high"]:
            raise _fail(path, None, f"indicator {key}: only non-degenerate linear transforms")
        if bool(spec.get("dataset")) == bool(spec.get("user")):
            raise _fail(path, None, f"indicator {key}: give exactly one of dataset or user")
        indicators[key] = Indicator(
            id=key,
            column=spec["column"],
            low=float(transform["low"]),
            high=float(transform["high"]),
            invert=bool(transform.get("invert", False)),
            label_nl=spec["label_nl"],
            label_en=spec["label_en"],
            dataset=spec.get("dataset"),
            user=spec.get("user"),
            fallback=spec.get("fallback"),
            substitute_only=bool(spec.get("substitute_only", False)),
        )
    for ind in indicators.values():
        if ind.fallback and ind.fallback not in indicators:
            raise _fail(path, None, f"indicator {ind.id}: unknown fallback {ind.fallback}")
    themes = []
    for spec in raw["themes"]:
        weights = {str(k): float(v) for k, v in spec["indicators"].items()}
        for key, weight in weights.items():
            if key not in indicators or indicators[key].substitute_only:
                raise _fail(path, None, f"theme {spec['code']}: unknown indicator {key}")
            if weight <= 0:
                raise _fail(path, None, f"theme {spec['code']}: weight of {key} must be > 0")
        for attr in ("scale", "irremediability"):
            if not 0 <= float(spec[attr]) <= 1:
                raise _fail(path, None, f"theme {spec['code']}: {attr} outside [0, 1]")
        themes.append(
            RiskTheme(
                code=spec["code"],
                name_nl=spec["name_nl"],
                name_en=spec["name_en"],
                oecd=spec.get("oecd", ""),
                scale=float(spec["scale"]),
                irremediability=float(spec["irremediability"]),
                indicators=weights,
                evidence=spec.get("evidence"),
            )
        )
    codes = tuple(t.code for t in themes)
    if codes != THEME_CODES:
        raise _fail(path, None, f"themes must be, in order: {', '.join(THEME_CODES)}")
    return tuple(themes), indicators


def load_model(*, data_dir: Path = DATA_DIR, pack_dir: Path = PACK_DIR) -> SRAModel:
    """Load and cross-check every reviewable file and the data pack."""
    pack = load_pack(directory=pack_dir)
    codes = iso3_codes(directory=pack_dir)
    themes, indicators = _load_themes(data_dir / "themes.yaml")
    theme_codes = [t.code for t in themes]

    path = data_dir / "nace_divisions.csv"
    sectors = _read_csv(path)
    for row, rec in sectors.iterrows():
        if len(rec["nace"]) != 2 or not rec["nace"].isdigit() or not rec["name_nl"]:
            raise _fail(path, int(row), f"bad division {rec['nace']!r}")
    if sectors["nace"].duplicated().any():
        raise _fail(path, int(sectors.index[sectors["nace"].duplicated()][0]), "duplicate nace")
    nace_set = set(sectors["nace"])

    path = data_dir / "products.csv"
    products = _read_csv(path)
    missing = [c for c in theme_codes if c not in products.columns]
    if missing:
        raise _fail(path, 1, f"missing hazard column(s) {', '.join(missing)}")
    if products["product"].duplicated().any():
        row = int(products.index[products["product"].duplicated()][0])
        raise _fail(path, row, "duplicate product")
    ilab_goods = set(pack["ilab_goods_2022"].frame["good"])
    hs_chapters = set(pack["hs_codes"].frame["hs_code"])
    hazards = np.zeros((len(products), len(theme_codes)))
    for i, (row, rec) in enumerate(products.iterrows()):
        for j, code in enumerate(theme_codes):
            level = rec[code]
            if level not in {"0", "1", "2", "3"}:
                raise _fail(path, int(row), f"{code} hazard {level!r} is not 0, 1, 2 or 3")
            hazards[i, j] = int(level) / HAZARD_LEVELS
        hs = rec["hs_code"]
        if hs and (not hs.isdigit() or len(hs) not in (2, 4, 6) or hs[:2] not in hs_chapters):
            raise _fail(path, int(row), f"hs_code {hs!r} is not an HS code of a shipped chapter")
        goods = [g for g in rec["ilab_goods"].split(";") if g]
        unknown = [g for g in goods if g not in ilab_goods]
        if unknown:
            raise _fail(path, int(row), f"ILAB good(s) not in the 2022 List: {'; '.join(unknown)}")
    products["ilab_goods"] = [tuple(g for g in s.split(";") if g) for s in products["ilab_goods"]]
    products = products.set_index("product")
    product_set = set(products.index)

    path = data_dir / "product_sources.csv"
    sources = _read_csv(path)
    shares = []
    for row, rec in sources.iterrows():
        if rec["product"] not in product_set:
            raise _fail(path, int(row), f"unknown product {rec['product']!r}")
        if rec["iso3"] not in codes:
            raise _fail(path, int(row), f"{rec['iso3']!r} is not an ISO 3166-1 alpha-3 code")
        if not rec["rationale"]:
            raise _fail(path, int(row), "rationale is missing")
        shares.append(_float(path, int(row), "share", rec["share"], 0.0, 1.0))
    sources["share"] = shares
    totals = sources.groupby("product")["share"].sum()
    over = totals[totals > 1 + SOURCE_SUM_TOLERANCE]
    if len(over):
        raise _fail(path, None, f"shares of {over.index[0]} add up to {over.iloc[0]:.2f} > 1")
    without = product_set - set(sources["product"])
    if without:
        raise _fail(path, None, f"no sourcing countries for {', '.join(sorted(without))}")
    if sources.duplicated(["product", "iso3"]).any():
        row = int(sources.index[sources.duplicated(["product", "iso3"])][0])
        raise _fail(path, row, "duplicate product/iso3")

    profiles = _read_csv(data_dir / "shared_profiles.csv")
    chains = _read_csv(data_dir / "value_chains.csv")
    profile_set = set(profiles["profile"])
    for path, frame in ((data_dir / "shared_profiles.csv", profiles),
                        (data_dir / "value_chains.csv", chains)):  # fmt: skip
        weights = []
        for row, rec in frame.iterrows():
            item = rec["item"]
            kind, _, ref = item.partition(":")
            ok = (
                (not ref and item in product_set)
                or (kind == "sector" and ref in nace_set)
                or (kind == "profile" and ref in profile_set)
            )
            if not ok:
                raise _fail(path, int(row), f"unknown item {item!r}")
            if not rec["rationale"]:
                raise _fail(path, int(row), "rationale is missing")
            weights.append(_float(path, int(row), "weight", rec["weight"], 1e-9, 1.0))
        frame["weight"] = weights
    unknown_nace = set(chains["nace"]) - nace_set
    if unknown_nace:
        raise _fail(data_dir / "value_chains.csv", None, f"unknown NACE {sorted(unknown_nace)}")
    no_chain = nace_set - set(chains["nace"])
    if no_chain:
        raise _fail(data_dir / "value_chains.csv", None, f"no lines for {sorted(no_chain)}")

    return SRAModel(
        themes=themes,
        indicators=indicators,
        sectors=sectors.reset_index(drop=True),
        products=products,
        hazards=hazards,
        sources=sources.reset_index(drop=True),
        chains=chains.reset_index(drop=True),
        profiles=profiles.reset_index(drop=True),
        pack=pack,
        countries=tuple(sorted(codes)),
    )


@cache
def default_model() -> SRAModel:
    """The shipped model, loaded once per process."""
    return load_model()
