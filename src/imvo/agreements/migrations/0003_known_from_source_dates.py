"""Agreements recorded before knowledge time existed become known from their source's date
(see trajectories 0003)."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def known_from_sources(apps, schema_editor):
    model = apps.get_model("agreements", "Agreement")
    for row in model.objects.select_related("source").exclude(source__date=None):
        moment = timezone.make_aware(dt.datetime.combine(row.source.date, dt.time.min))
        model.objects.filter(pk=row.pk).update(recorded_at=moment)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_bitemporal_conventions_versions")]

    operations = [migrations.RunPython(known_from_sources, migrations.RunPython.noop)]
