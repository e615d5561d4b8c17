"""One language per page: a crawl of every public page in Dutch and in English.

On an English page no Dutch interface string (a translation from the catalogue) and no Dutch
data label (the Dutch value of a bilingual record field) may appear, and on a Dutch page no
English one. Titles of cited documents, quotations and parts marked with their own language
keep it: text inside ``<cite>``, ``<q>``, ``<blockquote>``, ``<code>``, ``<pre>`` or an element
with a ``lang`` attribute other than the page's (WCAG 3.1.2) or ``translate="no"`` is left out
of the check, and so are passages in quotation marks, file names (``trajectories.yaml``) and
names, which are not translated: organisations' names and abbreviations in both languages, and
the titles, references and publishers of sources. On the method pages the examples of covenant
wording (in italics, quoted from Dutch and English covenants alike) are quotations too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

import imvo
from tests.web.public.test_responsive import PUBLIC_PAGES

CATALOGUE = Path(imvo.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
EXEMPT = {"cite", "q", "blockquote", "code", "pre", "kbd", "samp", "script", "style"}
#: Quoted passages: '…', "…", “…”, ‘…’ and „…” (not an apostrophe inside a word).
QUOTED = re.compile(r"(?<!\w)'[^']{2,}?'(?!\w)|\"[^\"]{2,}?\"|“[^”]*”|‘[^’]*’|„[^”“]*[”“]")
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed"}
SPOKEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
#: Strings shorter than this are names, codes or words the two languages share.
SHORTEST = 6
#: Catalogue entries whose text is also ordinary text in the other language (why in a comment).
SHARED = {
    "Monitor",  # the product name
}


class VisibleText(HTMLParser):
    """The text a reader meets on a page in its own language: element text, ``alt``, ``title``
    and ``aria-label``; without exempt elements and parts in another language."""

    def __init__(self, lang: str, *, exempt: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.exempt_tags = EXEMPT | exempt
        self.stack: list[bool] = []  # per open element: does it exempt its content?
        self.parts: list[str] = []

    def _exempt(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        own_lang = (values.get("lang") or self.lang)[:2]
        exempt = (
            tag in self.exempt_tags
            or (tag != "html" and own_lang != self.lang)
            or values.get("translate") == "no"
        )
        if not self._exempt() and not exempt:
            self.parts += [values[a] or "" for a in SPOKEN_ATTRIBUTES if values.get(a)]
        if tag not in VOID:
            self.stack.append(exempt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if not self._exempt():
            self.parts += [values[a] or "" for a in SPOKEN_ATTRIBUTES if values.get(a)]

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._exempt():
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def visible_text(html: str, lang: str, *, exempt: frozenset[str] = frozenset()) -> str:
    parser = VisibleText(lang, exempt=exempt)
    parser.feed(html)
    return QUOTED.sub(" ", parser.text())


@cache
def names() -> list[str]:
    """Names that stay as they are in both languages, longest first."""
    from imvo.organisations.models import Organisation
    from imvo.sources.models import Source

    found: set[str] = set()
    for row in Organisation.objects.values_list("name_nl", "name_en", "abbreviation"):
        found.update(v for v in row if v)
    for row in Source.objects.values_list("title", "reference", "publisher"):
        for value in row:
            found.update(part.strip() for part in (value or "").split(";") if part.strip())
    return sorted(found, key=len, reverse=True)


def without_names(text: str) -> str:
    for name in names():
        text = text.replace(name, " ")
    return text


def _unquote(block: list[str]) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', " ".join(block))).replace('\\"', '"')


@cache
def catalogue() -> list[tuple[str, str]]:
    """(English, Dutch) pairs of the catalogue, placeholders cut out: one pair per fixed part."""
    pairs = []
    for entry in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        lines = entry.splitlines()
        if any(line.startswith("#, fuzzy") for line in lines):
            continue
        ids = [i for i, line in enumerate(lines) if line.startswith(("msgid ", "msgstr"))]
        fields: dict[str, list[str]] = {}
        for n, start in enumerate(ids):
            end = ids[n + 1] if n + 1 < len(ids) else len(lines)
            key = lines[start].split(" ", 1)[0]
            fields[key] = [lines[start].split(" ", 1)[1], *lines[start + 1 : end]]
        english = _unquote(fields.get("msgid", []))
        dutch = _unquote(fields.get("msgstr", fields.get("msgstr[0]", [])))
        if not english or not dutch or english == dutch:
            continue
        # Compare the fixed parts between placeholders (%(name)s, {name}, %s, HTML tags).
        split = r"%\(\w+\)[sd]|%[sdr]|\{\w*\}|<[^>]+>"
        en_parts = [p.strip(" .,:;()—–-") for p in re.split(split, english)]
        nl_parts = [p.strip(" .,:;()—–-") for p in re.split(split, dutch)]
        for en, nl in zip(en_parts, nl_parts, strict=False):
            if en != nl:
                pairs.append((en, nl))
    return pairs


@cache
def data_labels() -> list[tuple[str, str]]:
    """(English, Dutch) values of every bilingual field of every record where they differ."""
    pairs = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        bases = [n[:-3] for n in names if n.endswith("_nl") and f"{n[:-3]}_en" in names]
        for base in bases:
            for nl, en in model._default_manager.values_list(f"{base}_nl", f"{base}_en"):
                if nl and en and nl != en:
                    pairs.append((en, nl))
    return pairs


def distinctive(text: str) -> bool:
    return len(text) >= SHORTEST and text not in SHARED and bool(re.search(r"[a-zA-Z]{3}", text))


def found(phrase: str, text: str) -> bool:
    """``phrase`` in ``text`` as whole words."""
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-]|\.\w)", text) is not None


def public_pages() -> Iterator[str]:
    from imvo.sectors.models import Sector
    from imvo.trajectories.selectors import trajectory_slugs

    yield from PUBLIC_PAGES
    yield "/?peildatum=2015-07-10"
    yield "/wijzigingen/?sinds=2014-01-01&tot=2023-12-31"
    yield "/risico/?alle=1"
    for slug in trajectory_slugs():
        yield f"/trajecten/{slug}/"
    for slug in Sector.objects.order_by("slug").values_list("slug", flat=True):
        yield f"/sectoren/{slug}/"
    for nace in ("01", "06", "46", "64"):
        yield f"/risico/nace/{nace}/"


def other_language_strings(lang: str, text: str, own: str) -> list[str]:
    """The strings of the other language found in ``text`` (and not also in the page's own
    language at the same place, e.g. a Dutch word that is also English)."""
    hits = []
    for en, nl in [*catalogue(), *data_labels()]:
        wrong, right = (nl, en) if lang == "en" else (en, nl)
        for part in (wrong,):
            if distinctive(part) and part not in right and found(part, text):
                hits.append(part)
    return sorted(set(hits))


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker) -> dict[tuple[str, str], str]:
    with django_db_blocker.unblock():
        result = {}
        for url in public_pages():
            for lang in ("nl", "en"):
                client = Client()
                sep = "&" if "?" in url else "?"
                response = client.get(f"{url}{sep}lang={lang}")
                assert response.status_code == 200, (url, lang, response.status_code)
                result[(url, lang)] = response.content.decode()
        return result


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_page_shows_the_other_languages_strings(pages, lang):
    problems = {}
    for (url, page_lang), html in pages.items():
        if page_lang != lang:
            continue
        assert f'<html lang="{lang}"' in html, url
        exempt = frozenset({"em"}) if url.startswith("/methode/") else frozenset()
        text = without_names(visible_text(html, lang, exempt=exempt))
        hits = other_language_strings(lang, text, lang)
        if hits:
            problems[url] = hits
    assert not problems, "\n".join(f"{url}: {hits}" for url, hits in sorted(problems.items()))


def test_the_check_finds_a_planted_string_and_respects_marked_parts():
    dutch_label = next(nl for en, nl in catalogue() if distinctive(nl) and nl not in en)
    page = f'<html lang="en"><body><p>Hello</p><p>{dutch_label}</p></body></html>'
    assert dutch_label in other_language_strings("en", visible_text(page, "en"), "en")
    marked = f'<html lang="en"><body><p lang="nl">{dutch_label}</p><cite>{dutch_label}</cite>'
    assert other_language_strings("en", visible_text(marked, "en"), "en") == []
    spoken = f'<html lang="en"><body><img alt="{dutch_label}"></body></html>'
    assert dutch_label in other_language_strings("en", visible_text(spoken, "en"), "en")
