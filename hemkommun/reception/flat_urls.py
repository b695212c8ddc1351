"""URLs of the flat pages (joined into the reception namespace by urls.py)."""

from django.urls import path, re_path

from . import flat_views

urlpatterns = [
    path("flats/", flat_views.flat_list, name="flats"),
    re_path(r"^flats\.(?P<file_format>csv|xlsx)$", flat_views.flat_export, name="flats_export"),
    path("flats/new/", flat_views.flat_create, name="flat_create"),
    path("flats/<int:pk>/", flat_views.flat_detail, name="flat_detail"),
    path("flats/<int:pk>/edit/", flat_views.flat_edit, name="flat_edit"),
    path("flats/<int:pk>/furnishing/", flat_views.furnishing_add, name="flat_furnishing_add"),
    path(
        "flats/<int:pk>/furnishing/<int:item_pk>/state/",
        flat_views.furnishing_state,
        name="flat_furnishing_state",
    ),
    path(
        "flats/<int:pk>/furnishing/<int:item_pk>/remove/",
        flat_views.furnishing_remove,
        name="flat_furnishing_remove",
    ),
    path("flats/<int:pk>/assign/", flat_views.flat_assign, name="flat_assign"),
    path(
        "flats/<int:pk>/assignments/<int:assignment_pk>/end/",
        flat_views.assignment_end,
        name="flat_assignment_end",
    ),
]
