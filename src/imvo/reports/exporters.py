"""One exporter interface and its registry: every document or data file the software produces.

An :class:`Exporter` has an identifier (``"<subject>.<format>"``, e.g. ``"sra.csv"``,
``"assessment.html"``), a bilingual label for menus, and ``render(data, **options)`` that returns
an :class:`Export` (file name, media type, bytes). Commands write the bytes to a file or the
terminal; web views send them as a download; the progress report (issue 12) joins as
``"progress.docx"`` and friends. Exporters take plain data (an engine's result, a selector's
page) and never query the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from imvo.core.bilingual import Text
from imvo.core.errors import NotFound


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class Exporter:
    identifier: str
    label: Text
    mimetype: str
    extension: str
    #: Renders the data to text (encoded as UTF-8) or bytes.
    renderer: Callable[..., str | bytes]

    @property
    def subject(self) -> str:
        return self.identifier.split(".", 1)[0]

    def render(self, data: Any, *, stem: str | None = None, **options: Any) -> Export:
        output = self.renderer(data, **options)
        content = output.encode("utf-8") if isinstance(output, str) else output
        return Export(f"{stem or self.subject}.{self.extension}", self.mimetype, content)


_REGISTRY: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    if exporter.identifier in _REGISTRY:
        raise ValueError(f"exporter {exporter.identifier!r} is registered twice")
    _REGISTRY[exporter.identifier] = exporter
    return exporter


def exporter(identifier: str) -> Exporter:
    """The exporter ``identifier``; :class:`NotFound` names the ones there are."""
    _load_all()
    try:
        return _REGISTRY[identifier]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise NotFound(f"no exporter {identifier!r} (known: {known})", field="format") from None


def exporters(subject: str | None = None) -> list[Exporter]:
    """Every registered exporter, or those of one subject (``"sra"``, ``"assessment"``)."""
    _load_all()
    return [e for e in _REGISTRY.values() if subject is None or e.subject == subject]


def _load_all() -> None:
    # The exporter modules register themselves on import.
    from imvo.reports import assessment, programme, sra  # noqa: F401
