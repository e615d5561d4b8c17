from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandsConfig(AppConfig):
    """IMVO's own management commands (``imvo init``, ``status``, ``sra`` …)."""

    name = "imvo.commands"
    label = "commands"
    verbose_name = _("Commands")
