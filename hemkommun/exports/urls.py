from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("start/", views.job_start, name="start"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/download/", views.job_download, name="download"),
]
