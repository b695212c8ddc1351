from django.urls import path, re_path

from . import claims_urls, views

app_name = "compensation"
urlpatterns = [
    path("parameters/", views.parameters, name="parameters"),
    path("forecast/", views.forecast_page, name="forecast"),
    path("reconciliation/", views.reconciliation_page, name="reconciliation"),
    re_path(r"^forecast\.(?P<file_format>csv|xlsx)$", views.forecast_export, name="forecast_export"),
    *claims_urls.urlpatterns,
]
