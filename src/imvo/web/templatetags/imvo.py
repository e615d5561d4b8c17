"""Template filters for partial dates and bilingual fields."""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format

from imvo.core.dates import PartialDate, Precision
from imvo.core.i18n import localized

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
