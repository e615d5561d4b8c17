"""The layers of the house, enforced (see docs/architecture.md).

From the ground up: ``core`` (shared mechanisms) → pure engines (``analysis``, ``opendata``
and the pure rule modules of the domain apps) → domain apps (models, admin, services,
selectors) → ``accounts`` (roles and the access policy) → ``reports`` (exporters) → the
channels ``web``, ``api`` and ``commands``. A module imports only from its own layer or below;
pure modules import no Django at all; channels and exporters import no ``models`` module (they
call a selector or a service); and only services write records.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "imvo"

DOMAIN = (
    "sources",
    "sectors",
    "organisations",
    "risks",
    "initiatives",
    "trajectories",
    "agreements",
    "proposals",
    "reference",
    "programme",
    "parliament",
)
#: Layer of each top-level package; a module may import its own layer and those below.
LAYERS = {
    "core": 0,
    "analysis": 1,
    "opendata": 1,
    **dict.fromkeys(DOMAIN, 2),
    "accounts": 3,
    "reports": 4,
    "web": 5,
    "api": 5,
    "commands": 5,
}
#: Composition roots: they wire the layers together and may import any of them.
ROOTS = {"conf", "cli", "__init__"}
#: Modules without Django: the engines and the pure rules and mechanisms they build on.
PURE_PACKAGES = ("analysis", "opendata")
PURE_MODULES = {
    "imvo.core.dates",
    "imvo.core.errors",
    "imvo.core.bilingual",
    "imvo.core.csvsafe",
    "imvo.trajectories.timeline",
    "imvo.agreements.rules",
    "imvo.programme.letter",
}
#: Channels and exporters: they parse, call one selector or service, and render.
OUTER = ("reports", "web", "api", "commands")
#: Calls that write records; outside services they bypass validation and the audit trail.
WRITE_CALL = re.compile(
    r"\.(save|delete|bulk_create|bulk_update|get_or_create|update_or_create)\(|objects\.create\("
)
#: Writes allowed outside a services module, with the reason.
WRITE_ALLOWED = {
    "imvo.core.audit": "the audited save itself and the system account",
    "imvo.core.services": "the shared create/update/delete helpers",
    "imvo.reports.progress_docx": "python-docx's Document.save writes the file, no record",
}


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.message}"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def is_pure(module: str) -> bool:
    return _top(module) in PURE_PACKAGES or module in PURE_MODULES


def _imports(module: str, tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing package
                base = module.split(".")[: -node.level]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def violations(module: str, source: str) -> list[Violation]:
    """Every layer rule that the module ``module`` with text ``source`` breaks."""
    tree = ast.parse(source)
    top = _top(module)
    found = []
    for line, target in _imports(module, tree):
        if is_pure(module) and (target == "django" or target.startswith("django.")):
            found.append(Violation(module, line, f"pure module imports {target}"))
        if not target.startswith("imvo."):
            continue
        target_top = _top(target)
        pure_target = is_pure(target) or is_pure(target.rsplit(".", 1)[0])
        if is_pure(module) and not pure_target:
            found.append(Violation(module, line, f"pure module imports non-pure {target}"))
        if top in OUTER and re.search(r"\.models(\.|$)", target):
            found.append(Violation(module, line, f"{top} imports a models module ({target})"))
        if top in ROOTS or target_top in ROOTS or top not in LAYERS:
            continue
        if target_top in LAYERS and LAYERS[target_top] > LAYERS[top]:
            found.append(Violation(module, line, f"{top} imports the layer above it: {target}"))
    if not module.endswith(".services") and module not in WRITE_ALLOWED and top != "__init__":
        for number, text in enumerate(source.splitlines(), start=1):
            if WRITE_CALL.search(text) and "migrations" not in module:
                found.append(Violation(module, number, "writes a record outside a service"))
    return found


def project_modules() -> list[tuple[str, Path]]:
    return [
        (module_name(path), path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_the_code_keeps_its_layers() -> None:
    found = [
        str(v)
        for module, path in project_modules()
        for v in violations(module, path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("imvo.analysis.sra.planted", "import django.db", "pure module imports django.db"),
        ("imvo.analysis.sra.planted", "from imvo.sectors import selectors", "non-pure"),
        ("imvo.opendata.planted", "from imvo.core.audit import Actor", "non-pure"),
        ("imvo.trajectories.timeline", "from django.utils import timezone", "imports django"),
        ("imvo.web.public.planted", "from imvo.sectors.models import Sector", "models module"),
        ("imvo.web.templatetags.planted", "from ..trajectories.models import X", "models"),
        ("imvo.commands.planted", "from imvo.trajectories import models", "models module"),
        ("imvo.reports.planted", "import imvo.agreements.models", "models module"),
        ("imvo.core.planted", "from imvo.reference import services", "layer above it"),
        ("imvo.core.planted", "from imvo.analysis.sra import run_sra", "layer above it"),
        ("imvo.sectors.planted", "from imvo.accounts.policy import can_edit", "layer above"),
        ("imvo.accounts.planted", "from imvo.web.public import views", "layer above it"),
        ("imvo.reports.planted", "from imvo.commands.base import UserError", "layer above"),
        ("imvo.web.public.planted", "def f(x):\n    x.save()", "outside a service"),
        ("imvo.reference.planted", "Sector.objects.create(slug='x')", "outside a service"),
    ],
)
def test_a_planted_violation_is_caught(module: str, source: str, expected: str) -> None:
    assert any(expected in str(v) for v in violations(module, source)), violations(module, source)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("imvo.analysis.sra.ok", "from imvo.core.errors import DataError\nimport numpy"),
        ("imvo.web.public.ok", "from imvo.trajectories.selectors import trajectory_page"),
        ("imvo.sectors.ok", "from imvo.analysis.sra import divisions_of"),
        ("imvo.sectors.services", "def f(s):\n    s.save()"),
        ("imvo.conf.urls", "from imvo.web.public import urls"),
    ],
)
def test_what_the_layers_allow_passes(module: str, source: str) -> None:
    assert violations(module, source) == []


def test_every_engine_module_stays_readable() -> None:
    long = {
        module: n
        for module, path in project_modules()
        if _top(module) == "analysis"
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
