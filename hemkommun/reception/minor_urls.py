"""URLs of the minor pages (joined into the reception namespace by urls.py)."""

from django.urls import path, re_path

from . import minor_views

urlpatterns: list = [
    path("minors/", minor_views.minor_list, name="minors"),
    re_path(r"^minors\.(?P<file_format>csv|xlsx)$", minor_views.minors_export, name="minors_export"),
    path("minors/new/", minor_views.minor_create, name="minor_create"),
    path("minors/<int:pk>/", minor_views.minor_detail, name="minor_detail"),
    path("minors/<int:pk>/edit/", minor_views.minor_edit, name="minor_edit"),
    path("minors/<int:pk>/end/", minor_views.minor_end, name="minor_end"),
]
