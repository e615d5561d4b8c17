from imvo.agreements import services
from imvo.agreements.models import Agreement, Target
from imvo.core.admin import register

register(
    Agreement,
    services,
    list_display=["title_nl", "kind", "signed", "trajectory"],
    list_filter=["kind"],
    search_fields=["title_nl", "title_en", "key"],
    autocomplete_fields=["source", "parties", "sectors", "trajectory"],
)
register(
    Target,
    services,
    list_display=["title_nl", "metric", "value", "deadline"],
    autocomplete_fields=["source"],
)
