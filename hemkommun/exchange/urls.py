from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("schema/v1.json", views.schema_v1, name="schema_v1"),
    path("clients/<int:pk>/record.json", views.record_export, name="export"),
    path("import/", views.record_import, name="import"),
]
