from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "IMVO Monitor"
admin.site.site_title = "IMVO Monitor"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("redactie/", include("imvo.web.editors.urls")),
    path("account/", include("imvo.web.editors.auth_urls")),
    path("over/", include("imvo.web.public.info_urls")),
    path("methode/", include("imvo.web.public.method_urls")),
    path("", include("imvo.web.public.urls")),
]
