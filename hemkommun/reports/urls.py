from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/export.<str:file_format>", views.statistics_export, name="statistics_export"),
]
