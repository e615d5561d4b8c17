"""``imvo user``: accounts for a site without a mail server; an administrator does it here.

    imvo user list
    imvo user create USERNAME --email E [--role R --organisation KEY --sector SLUG
                     --trajectory SLUG] [--staff] [--password-stdin]
    imvo user set-password USERNAME [--password-stdin]
    imvo user reset-2fa USERNAME       the person sets up an authenticator app again
    imvo user unlock USERNAME          lift the lockout after failed sign-ins
    imvo user deactivate USERNAME      the person can no longer sign in

Every change is audited (``imvo audit --model auth.user``): by ``--actor`` (a user name) or the
system account, with ``--reason`` or a default reason. Mistakes are one line and exit code 2,
and nothing is written.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.policy import ROLE_GRANTS
from imvo.accounts.selectors import membership_scope, user_get, users_list
from imvo.accounts.services import (
    totp_device_reset,
    user_create,
    user_deactivate,
    user_set_password,
    user_unlock,
)
from imvo.commands.base import ImvoCommand, UserError
from imvo.core.audit import Actor
from imvo.core.errors import ImvoError

ACTIONS = ("list", "create", "set-password", "reset-2fa", "unlock", "deactivate")
ROLES = tuple(sorted(str(role) for role in ROLE_GRANTS))
#: Fields whose problems the command names by its own words rather than an option.
POSITIONAL_FIELDS = ("username", "user", "")


class Command(ImvoCommand):
    help = gettext_lazy(
        "Manage user accounts: list, create, set-password, reset-2fa, unlock, deactivate. "
        "Every change is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("username", nargs="?", help=gettext_lazy("the user name"))
        parser.add_argument("--email", help=gettext_lazy("create: the e-mail address"))
        parser.add_argument(
            "--role", choices=ROLES, help=gettext_lazy("create: a role to give the user")
        )
        parser.add_argument(
            "--organisation", help=gettext_lazy("create: the role's organisation (its key)")
        )
        parser.add_argument("--sector", help=gettext_lazy("create: the role's sector (its slug)"))
        parser.add_argument(
            "--trajectory", help=gettext_lazy("create: the role's trajectory (its slug)")
        )
        parser.add_argument(
            "--staff",
            action="store_true",
            help=gettext_lazy("create: the user may open the admin (Beheer)"),
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=gettext_lazy(
                "create, set-password: read the password from standard input instead of asking"
            ),
        )
        parser.add_argument(
            "--actor", help=gettext_lazy("who makes the change (a user name; default: the system)")
        )
        parser.add_argument(
            "--reason", help=gettext_lazy("why, for the audit trail (default: a general reason)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, username = options["action"], options["username"]
        if action == "list":
            if username:
                raise UserError(_("list: takes no user name"))
            self._list()
            return
        if not username:
            raise UserError(
                _("%(action)s: give the user name, e.g. 'imvo user %(action)s jansen'")
                % {"action": action}
            )
        create_only = ("email", "role", "organisation", "sector", "trajectory", "staff")
        if action != "create" and any(options[name] for name in create_only):
            raise UserError(
                _("%(action)s: --email, --role, its scope and --staff belong to 'create'")
                % {"action": action}
            )
        if options["password_stdin"] and action not in ("create", "set-password"):
            raise UserError(
                _("%(action)s: --password-stdin belongs to 'create' and 'set-password'")
                % {"action": action}
            )
        try:
            actor = self._actor(options)
            handler = getattr(self, "_" + action.replace("-", "_"))
            handler(username, actor, options)
        except ImvoError as error:
            if error.field == "password":
                raise UserError(
                    _("the password is refused: %(why)s") % {"why": error.message}
                ) from None
            if error.field in POSITIONAL_FIELDS:
                raise UserError(error.message) from None
            raise

    # --- the actions -----------------------------------------------------------------------

    def _list(self) -> None:
        rows = users_list()
        if not rows:
            self.stdout.write(_("No user accounts yet: 'imvo user create NAME --email E'."))
            return
        yes, no = _("yes"), _("no")
        header = [_("user name"), _("e-mail address"), _("active"), "2FA", _("locked"), _("roles")]
        table = [header]
        for row in rows:
            roles = list(row.roles)
            if row.is_superuser:
                roles.insert(0, "superuser")
            elif row.is_staff:
                roles.insert(0, "staff")
            table.append([
                row.username, row.email or "-", yes if row.is_active else no,
                yes if row.second_factor else no, yes if row.locked else no,
                "; ".join(roles) or "-",
            ])  # fmt: skip
        widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
        for line in table:
            cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
            self.stdout.write("  ".join([*cells, line[-1]]).rstrip())

    def _create(self, username: str, actor: Actor, options: dict[str, Any]) -> None:
        if not options["email"]:
            raise UserError(
                _("create: give the e-mail address with --email (people sign in with it too)")
            )
        scope_given = any(options[name] for name in ("organisation", "sector", "trajectory"))
        if scope_given and not options["role"]:
            raise UserError(_("--organisation, --sector and --trajectory need a --role"))
        memberships = []
        if options["role"]:
            scope = membership_scope(
                organisation=options["organisation"],
                sector=options["sector"],
                trajectory=options["trajectory"],
            )
            memberships.append({"role": options["role"], **scope})
        password = self._read_password(options) if options["password_stdin"] else None
        user = user_create(
            username=username,
            email=options["email"],
            password=password,
            is_staff=options["staff"],
            memberships=memberships,
            actor=actor,
        )
        self.stdout.write(_("User '%(username)s' created.") % {"username": user.username})
        if password is None:
            self.stdout.write(
                _("Set a password: imvo user set-password %(username)s")
                % {"username": user.username}
            )

    def _set_password(self, username: str, actor: Actor, options: dict[str, Any]) -> None:
        user = user_get(username=username)
        user_set_password(user=user, password=self._read_password(options), actor=actor)
        self.stdout.write(
            _("Password of '%(username)s' set; their sessions have ended.") % {"username": username}
        )

    def _reset_2fa(self, username: str, actor: Actor, options: dict[str, Any]) -> None:
        removed = totp_device_reset(user=user_get(username=username), actor=actor)
        if not removed:
            self.stdout.write(
                _("'%(username)s' has no authenticator app set up: nothing to reset.")
                % {"username": username}
            )
            return
        self.stdout.write(
            _(
                "Two-factor authentication of '%(username)s' reset: they set up an "
                "authenticator app again when they next sign in."
            )
            % {"username": username}
        )

    def _unlock(self, username: str, actor: Actor, options: dict[str, Any]) -> None:
        removed = user_unlock(user=user_get(username=username), actor=actor)
        if removed:
            self.stdout.write(
                _("'%(username)s' may sign in again (lockout lifted).") % {"username": username}
            )
        else:
            self.stdout.write(
                _("'%(username)s' was not locked: nothing changed.") % {"username": username}
            )

    def _deactivate(self, username: str, actor: Actor, options: dict[str, Any]) -> None:
        _user, changed = user_deactivate(user=user_get(username=username), actor=actor)
        if changed:
            self.stdout.write(
                _("'%(username)s' can no longer sign in (deactivated).") % {"username": username}
            )
        else:
            self.stdout.write(
                _("'%(username)s' was already deactivated: nothing changed.")
                % {"username": username}
            )

    # --- helpers -----------------------------------------------------------------------------

    def _actor(self, options: dict[str, Any]) -> Actor:
        reason = (options["reason"] or "").strip()
        if options["reason"] is not None and not reason:
            raise UserError(_("--reason: give a reason, or leave the option out"))
        if not reason:
            reason = _("by an administrator with 'imvo user %(action)s' on %(day)s") % {
                "action": options["action"],
                "day": timezone.localdate().isoformat(),
            }
        if not options["actor"]:
            return Actor(reason)
        try:
            user = user_get(username=options["actor"])
        except ImvoError:
            raise UserError(
                _("--actor: no user named '%(username)s'") % {"username": options["actor"]}
            ) from None
        if not user.is_active:
            raise UserError(
                _("--actor: '%(username)s' is deactivated") % {"username": options["actor"]}
            )
        return Actor(reason, user)

    def _read_password(self, options: dict[str, Any]) -> str:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            try:
                password = getpass.getpass(_("New password: "))
                again = getpass.getpass(_("The same password again: "))
            except (EOFError, KeyboardInterrupt):
                raise UserError(_("no password given")) from None
            if password != again:
                raise UserError(_("the two passwords differ: nothing changed"))
        if not password:
            raise UserError(_("the password is empty"))
        return password
