"""Template filters for partial dates and bilingual fields, and the citation of a source."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from imvo.core.bilingual import REFERENCE_LANGUAGE
from imvo.core.dates import PartialDate, Precision
from imvo.core.i18n import active_language, localized
from imvo.trajectories.selectors import UNSTATED_DATE_TEXTS

register = template.Library()

_FORMATS = {Precision.DAY: "j F Y", Precision.MONTH: "F Y", Precision.YEAR: "Y"}


@register.filter
def partial_date(value: PartialDate | None) -> str:
    """'10 juli 2015', 'november 2014' or '2015', in the active language."""
    if value is None:
        return ""
    return date_format(value.start, _FORMATS[value.precision])


@register.filter
def loc(obj: object, field: str) -> str:
    """The Dutch or English variant of ``<field>_nl`` / ``<field>_en``."""
    return localized(obj, field)


def _data_lang() -> str:
    """The ``lang`` attribute for a text the records hold in one language only (Dutch, the
    reference language) when the page is in another language; empty on a Dutch page."""
    return "" if active_language() == REFERENCE_LANGUAGE else REFERENCE_LANGUAGE


@register.filter
def wording(text: str) -> SafeString | str:
    """A date as the source words it: the quotation (“eind mei”, marked as Dutch on an English
    page), or, where the record only notes that the source gives no date, that note in the
    page's language."""
    if not text:
        return ""
    if text.strip().casefold() in UNSTATED_DATE_TEXTS:
        return gettext("date not stated in the source")
    lang = _data_lang()
    if lang:
        return format_html('“<span lang="{}">{}</span>”', lang, text)
    return format_html("“{}”", text)


@register.filter
def host(url: str) -> str:
    """The host name of a URL ('zoek.officielebekendmakingen.nl'), without 'www.'."""
    name = urlsplit(url or "").hostname or ""
    return name.removeprefix("www.")


@register.inclusion_tag("public/_citation.html")
def cite(source: Any, locator: str = "") -> dict[str, Any]:
    """A source as cited: its title (a link to its URL when it has one) with its reference
    (e.g. 'Kamerstuk 26 485, nr. 197') and the passage cited, ``locator``:
    ``{% cite record.source record.source_locator %}``."""
    return {"source": source, "locator": locator, "locator_lang": _data_lang()}
