from django.urls import path

from imvo.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.heatmap_page, name="heatmap"),
    path("heatmap.svg", views.heatmap_image, name="heatmap_svg"),
    path("nace/<str:nace>/", views.division_page, name="division"),
]
