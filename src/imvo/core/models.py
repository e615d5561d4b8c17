"""Shared model building blocks: citations and partial dates (bilingual fields: core.i18n)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.dates import PartialDate, Precision

PRECISION_CHOICES = [
    (Precision.DAY.value, _("day")),
    (Precision.MONTH.value, _("month")),
    (Precision.YEAR.value, _("year")),
]


class Cited(models.Model):
    """A fact that cites the document it comes from (no figure without provenance)."""

    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("source"),
    )
    source_locator = models.CharField(
        _("location in source"),
        max_length=200,
        blank=True,
        help_text=_("Section, page or passage of the source, e.g. '§2, textile'."),
    )

    class Meta:
        abstract = True


class PartialDateFields:
    """Read a (date, precision) pair of fields as a :class:`PartialDate`."""

    @staticmethod
    def read(day: object, precision: str) -> PartialDate | None:
        if day is None:
            return None
        return PartialDate.of(day, precision)  # type: ignore[arg-type]


class Certainty(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed by the source")
    UNVERIFIED = "unverified", _("unverified: no source found that confirms it")


class KnownQuerySet(models.QuerySet):
    """Transaction time: which records the database held as current at a moment."""

    def known_at(self, moment):  # type: ignore[no-untyped-def]
        """Records recorded by ``moment`` and not yet superseded then."""
        return self.filter(recorded_at__lte=moment).filter(
            models.Q(superseded_at__isnull=True) | models.Q(superseded_at__gt=moment)
        )

    def current(self):  # type: ignore[no-untyped-def]
        return self.filter(superseded_at__isnull=True)


class Known(models.Model):
    """A fact with knowledge time beside its valid time (bitemporal).

    ``recorded_at`` is when the fact became known: the publication of the source that reports
    it (reference data) or the moment a person entered it. A correction never overwrites: it
    adds a record that ``supersedes`` this one, and this one gets ``superseded_at``, so "what
    did we know on 17 June 2016" stays answerable (:func:`imvo.core.services.model_supersede`).
    """

    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=Certainty.choices, default=Certainty.CONFIRMED
    )

    objects = KnownQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.superseded_at and self.recorded_at and self.superseded_at < self.recorded_at:
            raise ValidationError(
                {"superseded_at": _("A record cannot be superseded before it was recorded.")}
            )


def current_only(*fields: str, name: str) -> models.UniqueConstraint:
    """Unique among current records: corrections share their key with what they supersede."""
    return models.UniqueConstraint(
        fields=list(fields), condition=models.Q(superseded_at__isnull=True), name=name
    )


class DataVersion(models.Model):
    """The version of everything the public pages show from the database: one row.

    Every audited write (and every migration) gives ``token`` a fresh random value in the same
    transaction (:func:`imvo.core.audit.data_changed`), so a page cached under one token shows
    exactly the data of that token (:mod:`imvo.core.pagecache`). A random value, not a counter:
    a rolled-back write or a database restored from a backup never brings back a token that
    stood for other data.
    """

    ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at.isoformat()})"
