from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web pages by audience (``public/``, later ``editors/``), their templates and static."""

    name = "imvo.web"
    label = "web"
    verbose_name = _("Web")
