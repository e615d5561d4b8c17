from imvo.core.admin import register
from imvo.sources import services
from imvo.sources.models import Source

register(
    Source,
    services,
    list_display=["title", "reference", "kind", "date"],
    list_filter=["kind"],
    search_fields=["title", "reference", "key"],
)
