from imvo.core.admin import register
from imvo.organisations import services
from imvo.organisations.models import Organisation

register(
    Organisation,
    services,
    list_display=["name_nl", "abbreviation", "kind"],
    list_filter=["kind"],
    search_fields=["name_nl", "name_en", "abbreviation", "key"],
    autocomplete_fields=["source"],
)
