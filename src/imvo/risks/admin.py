from imvo.core.admin import register
from imvo.risks import services
from imvo.risks.models import Theme, ThemeAdvice

register(
    Theme,
    services,
    list_display=["name_nl", "name_en", "code", "cross_sector"],
    list_filter=["cross_sector"],
    search_fields=["name_nl", "name_en", "code"],
    autocomplete_fields=["source"],
)
register(
    ThemeAdvice,
    services,
    list_display=["theme", "organisation", "advisor_nl"],
    list_filter=["theme"],
    search_fields=["key", "advisor_nl"],
    autocomplete_fields=["theme", "organisation", "source"],
)
