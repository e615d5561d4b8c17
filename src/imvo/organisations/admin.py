from imvo.core.admin import register
from imvo.organisations.models import Organisation

register(
    Organisation,
    list_display=["name_nl", "abbreviation", "kind"],
    list_filter=["kind"],
    search_fields=["name_nl", "name_en", "abbreviation", "key"],
    autocomplete_fields=["source"],
)
