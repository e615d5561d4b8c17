"""Language helpers for Django code: the active language and bilingual record fields.

Dutch is the reference language: English falls back to Dutch where no translation is stored
(the same rule as :func:`imvo.core.bilingual.pick`).
"""

from __future__ import annotations

from django.utils import translation

from imvo.core.bilingual import Lang, pick


def active_language() -> Lang:
    """'en' when English is active, else 'nl'."""
    return "en" if (translation.get_language() or "nl").startswith("en") else "nl"


def message(error: BaseException) -> str:
    """The message of ``error`` in the active language.

    An :class:`~imvo.core.errors.InvalidValue` carries its English template, translated here;
    any other error gives its own text."""
    template = getattr(error, "template", None)
    if not template:
        return str(error)
    return translation.gettext(template) % getattr(error, "params", {})


def localized(obj: object, field: str) -> str:
    """The value of ``<field>_nl``/``<field>_en`` of ``obj`` in the active language."""
    text = {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in ("nl", "en")}
    return pick(text, active_language())


def bilingual(field: str) -> property:
    """A read-only attribute with the Dutch or English value of ``<field>_nl``/``<field>_en``."""
    return property(lambda self: localized(self, field), doc=f"The {field} in the active language.")
