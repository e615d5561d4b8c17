from imvo.core.admin import register
from imvo.initiatives import services
from imvo.initiatives.models import Initiative

register(
    Initiative,
    services,
    list_display=["name_nl", "abbreviation", "kind", "started"],
    list_filter=["kind", "sectors"],
    search_fields=["name_nl", "name_en", "abbreviation", "key"],
    autocomplete_fields=["source", "sectors", "organisations"],
)
