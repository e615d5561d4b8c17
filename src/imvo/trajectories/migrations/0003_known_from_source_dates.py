"""Facts recorded before knowledge time existed become known from their source's date.

The reference loader records every fact as known from the publication date of the source that
reports it; rows that existed before this field got the migration's own time, which would hide
them from every "known at" question before today. Rows whose source has no date keep it.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def known_from_sources(apps, schema_editor):
    for name in ("Trajectory", "Participation", "Event", "GovernmentAction"):
        model = apps.get_model("trajectories", name)
        for row in model.objects.select_related("source").exclude(source__date=None):
            model.objects.filter(pk=row.pk).update(recorded_at=_start_of(row.source.date))


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0002_bitemporal_participations_events_actions")]

    operations = [migrations.RunPython(known_from_sources, migrations.RunPython.noop)]
