"""Reception: arrivals and moves, flats, placement agreements, placements of minors."""

from django.urls import path

from . import agreement_urls, flat_urls, minor_urls, views

app_name = "reception"
urlpatterns = [
    path("", views.board, name="board"),
    *agreement_urls.urlpatterns,
    *flat_urls.urlpatterns,
    *minor_urls.urlpatterns,
]
