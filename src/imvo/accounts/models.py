"""Memberships: a user's role in the programme, scoped to an organisation, sector or trajectory.

What each role may do is decided in one place, :mod:`imvo.accounts.policy`; this module only
records who holds which role for which scope, with its history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

SCOPE_FIELDS = ("organisation", "sector", "trajectory")


class Membership(models.Model):
    """One role of one user, with the scope it applies to."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("ministry coordinator")
        SER_SECRETARIAT = "ser_secretariat", _("SER secretariat")
        SECTOR_EDITOR = "sector_editor", _("sector editor")
        STAKEHOLDER = "stakeholder", _("stakeholder")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
        help_text=_(
            "SER secretariat: the organisation whose convened trajectories the member edits. "
            "Sector editor: the trajectories this organisation takes part in."
        ),
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("sector"),
        help_text=_("Sector editor: the trajectories of this sector and its sub-sectors."),
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("trajectory"),
        help_text=_("Sector editor: this one trajectory."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_fits_role",
                condition=(
                    models.Q(
                        role__in=["coordinator", "stakeholder"],
                        organisation__isnull=True,
                        sector__isnull=True,
                        trajectory__isnull=True,
                    )
                    | models.Q(
                        role="ser_secretariat",
                        organisation__isnull=False,
                        sector__isnull=True,
                        trajectory__isnull=True,
                    )
                    | (
                        models.Q(role="sector_editor")
                        & (
                            models.Q(organisation__isnull=False)
                            | models.Q(sector__isnull=False)
                            | models.Q(trajectory__isnull=False)
                        )
                    )
                ),
                violation_error_message=_("The scope does not fit the role."),
            )
        ]

    def __str__(self) -> str:
        scope = self.scope_display
        role = self.get_role_display()
        return f"{self.user}: {role} ({scope})" if scope else f"{self.user}: {role}"

    @property
    def scope_display(self) -> str:
        """The scope in words, e.g. 'SER' or 'Banken, Bankensector'; empty for no scope."""
        return ", ".join(
            str(getattr(self, name)) for name in SCOPE_FIELDS if getattr(self, f"{name}_id")
        )

    def clean(self) -> None:
        given = [name for name in SCOPE_FIELDS if getattr(self, f"{name}_id") is not None]
        errors: dict[str, ValidationError] = {}
        if self.role in (self.Role.COORDINATOR, self.Role.STAKEHOLDER):
            for name in given:
                errors[name] = ValidationError(
                    _("A %(role)s covers the whole programme and takes no scope."),
                    code="scope_not_allowed",
                    params={"role": self.get_role_display()},
                )
        elif self.role == self.Role.SER_SECRETARIAT:
            if self.organisation_id is None:
                errors["organisation"] = ValidationError(
                    _("An SER secretariat member needs the organisation that convenes."),
                    code="scope_required",
                )
            for name in ("sector", "trajectory"):
                if name in given:
                    errors[name] = ValidationError(
                        _(
                            "An SER secretariat member edits the trajectories its organisation "
                            "convenes; give only the organisation."
                        ),
                        code="scope_not_allowed",
                    )
        elif self.role == self.Role.SECTOR_EDITOR and not given:
            errors["sector"] = ValidationError(
                _("A sector editor needs a sector, an organisation or a trajectory."),
                code="scope_required",
            )
        if errors:
            raise ValidationError(errors)
        if self.user_id is not None and self._duplicate_exists():
            raise ValidationError(
                _("This user already holds this role with this scope."), code="duplicate"
            )

    def _duplicate_exists(self) -> bool:
        same = Membership.objects.filter(
            user_id=self.user_id,
            role=self.role,
            organisation_id=self.organisation_id,
            sector_id=self.sector_id,
            trajectory_id=self.trajectory_id,
        )
        return same.exclude(pk=self.pk).exists()


# --- the audit trail of user accounts (sign-in, issue 10) -------------------------------------

#: Accounts are audited like every record (``imvo audit --model auth.user``): who created,
#: changed or deactivated an account, set its password, reset its second factor or lifted its
#: lockout, and why (:mod:`imvo.accounts.services`). The password hash and the moment of the
#: last sign-in are not copied into the history.
register(
    get_user_model(),
    app="imvo.accounts",
    excluded_fields=["password", "last_login"],
    user_model=settings.AUTH_USER_MODEL,
)


def _no_history_for_a_sign_in(
    sender: Any, instance: Any, update_fields: Any = None, **_: Any
) -> None:
    """Signing in saves only ``last_login``: no history row (and no new data version) for it."""
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True
    elif hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving


pre_save.connect(_no_history_for_a_sign_in, sender=get_user_model(), dispatch_uid="imvo-user-login")
