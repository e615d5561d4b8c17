from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "imvo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every audited write and every migration changes the data version (core.audit).
        from simple_history.signals import post_create_historical_record

        from imvo.core.audit import history_written, migrated

        post_create_historical_record.connect(history_written, dispatch_uid="imvo-data-version")
        post_migrate.connect(migrated, sender=self, dispatch_uid="imvo-data-version-migrate")
