"""Benchmark of the Sector Risk Analysis: full recompute on the shipped data and on a x10 set.

    .venv/bin/python benchmarks/sra.py

Prints seconds and peak traced memory of each measurement; the last line is
``sra_full_recompute_seconds=<float>`` (median full recompute on the shipped data: all
divisions x themes x products x countries, from the loaded model to ranked scores). The x10
set copies every division's value chain ten times under synthetic codes with jittered
weights, so the number of value-chain lines grows tenfold; the cost should grow about
linearly.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from imvo.analysis.sra import Mitigation, SRAModel, load_model, mitigations_from_records, run_sra

REPEATS = 5


def reference_inputs() -> tuple[dict[str, list[str]], dict[str, list[Mitigation]]]:
    """Programme sectors (slug → NACE codes) and initiatives of the shipped reference data.

    The engine reads no reference files itself; here they come through the validated loader
    (``imvo.reference.schema``), which needs Django's settings for its record choices.
    """
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.conf.settings")
    django.setup()
    from imvo.reference.schema import load_reference_data
    from imvo.reference.services import DEFAULT_DATA_DIR

    records = load_reference_data(DEFAULT_DATA_DIR).records
    programme = {rec["slug"]: list(rec["nace"]) for rec in records["sectors"]}
    initiatives = mitigations_from_records(
        {
            "name": rec["name_nl"],
            "sectors": rec.get("sectors") or [],
            "risk_themes": rec.get("risk_themes") or [],
            "coverage": rec.get("coverage"),
            "source": f"reference data, {rec['key']}",
        }
        for rec in records["initiatives"]
    )
    return programme, initiatives


def measure(label: str, func: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median seconds over ``repeats`` runs, and peak traced memory of one more run."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    print(f"{label}: {median:.3f} s (median of {repeats}), peak memory {peak / 2**20:.1f} MiB")
    return median, result


def enlarge(model: SRAModel, factor: int, *, seed: int = 2014) -> SRAModel:
    """A synthetic model with ``factor`` copies of every division's value chain."""
    rng = np.random.default_rng(seed)
    sectors, chains = [model.sectors], [model.chains]
    for copy in range(1, factor):
        suffix = f"s{copy}"
        sectors.append(model.sectors.assign(nace=model.sectors["nace"] + suffix))
        jitter = rng.uniform(0.5, 1.5, size=len(model.chains))
        chains.append(
            model.chains.assign(
                nace=model.chains["nace"] + suffix, weight=model.chains["weight"] * jitter
            )
        )
    return replace(
        model,
        sectors=pd.concat(sectors, ignore_index=True),
        chains=pd.concat(chains, ignore_index=True),
    )


def main() -> int:
    start = time.perf_counter()
    model = load_model()
    print(f"load data pack and reviewable data: {time.perf_counter() - start:.3f} s")
    programme, initiatives = reference_inputs()

    shipped, result = measure(
        "full recompute, shipped data",
        lambda: run_sra(model=model, programme=programme, initiatives=initiatives),
    )
    lines = len(result.lines.frame)
    print(f"  {len(result.sectors)} divisions x {len(model.themes)} themes, {lines} lines")

    big = enlarge(model, 10)
    large, big_result = measure(
        "full recompute, x10 synthetic",
        lambda: run_sra(model=big, programme=programme, initiatives=initiatives),
    )
    big_lines = len(big_result.lines.frame)
    print(f"  {len(big_result.sectors)} divisions, {big_lines} lines")
    print(f"  time ratio x10/x1: {large / shipped:.1f} for a line ratio of {big_lines / lines:.1f}")
    print(f"sra_full_recompute_seconds={shipped:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
