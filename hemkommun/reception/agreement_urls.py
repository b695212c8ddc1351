"""URLs of the agreement pages (joined into the reception namespace by urls.py)."""

from django.urls import path, re_path

from . import agreement_views as views

urlpatterns: list = [
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/places/", views.agreement_places, name="agreement_places"),
    path("agreements/<int:pk>/rounds/", views.agreement_round, name="agreement_round"),
    re_path(r"^agreements/places\.(?P<file_format>csv|xlsx)$", views.places_export, name="places_export"),
]
