from imvo.core.admin import register
from imvo.sectors import services
from imvo.sectors.models import Sector

register(
    Sector,
    services,
    list_display=["name_nl", "name_en", "parent", "sra_2014_elevated", "nace_codes"],
    list_filter=["sra_2014_elevated"],
    search_fields=["name_nl", "name_en", "slug"],
    autocomplete_fields=["parent", "source"],
)
