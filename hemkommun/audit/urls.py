from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export/<str:file_format>/", views.audit_log_export, name="export"),
    path("verify/", views.verify_page, name="verify"),
]
