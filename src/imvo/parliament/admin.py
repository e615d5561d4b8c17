from imvo.core.admin import register
from imvo.parliament import services
from imvo.parliament.models import Commitment

register(
    Commitment,
    services,
    list_display=["made", "kind", "reference", "text_nl", "answered_by"],
    list_filter=["kind", "subject"],
    search_fields=["text_nl", "text_en", "reference", "key"],
    autocomplete_fields=["source", "answered_by"],
    date_hierarchy="made",
)
