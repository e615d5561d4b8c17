"""The one convention for texts outside gettext: a mapping per text, Dutch first.

Plain Python, no Django, so that pure engines and exporters use it too. A label table maps a
key to ``{"nl": …, "en": …}``; :func:`pick` returns the text in the asked language and falls
back to Dutch, the reference language, where no English text is given. Texts of records
(``name_nl``/``name_en`` fields) follow the same rule through :func:`imvo.core.i18n.localized`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")
REFERENCE_LANGUAGE: Lang = "nl"

#: A text in both languages: ``{"nl": "...", "en": "..."}``.
Text = Mapping[str, str]


def pick(text: Text, lang: str) -> str:
    """``text`` in ``lang``; Dutch where the English is missing or empty."""
    return text.get(lang) or text.get(REFERENCE_LANGUAGE, "")


def label(table: Mapping[str, Text], key: str, lang: str) -> str:
    """The text of ``key`` in a label table, in ``lang`` (the key itself when unknown)."""
    text = table.get(key)
    return pick(text, lang) if text else key


def labels_in(table: Mapping[str, Text], lang: str) -> dict[str, str]:
    """A whole label table in ``lang``: key → text."""
    return {key: pick(text, lang) for key, text in table.items()}


def decimal(value: float, places: int, lang: str) -> str:
    """``value`` with ``places`` decimals as a reader of ``lang`` writes it: ``23,0`` in Dutch,
    ``23.0`` in English (text for people; CSV and JSON keep the machine format)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "nl" else text
