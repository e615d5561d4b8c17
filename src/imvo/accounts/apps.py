from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Roles scoped to organisation, sector and trajectory, and the one access policy."""

    name = "imvo.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
