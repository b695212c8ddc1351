"""Reception: arrivals and moves, flats, placement agreements, placements of minors."""

from django.urls import path, re_path

from . import agreement_urls, arrival_views, flat_urls, health_views, minor_urls, template_views, views

app_name = "reception"
urlpatterns = [
    path("", views.board, name="board"),
    path("calendar/", views.arrival_calendar, name="calendar"),
    re_path(r"^arrivals\.(?P<file_format>csv|xlsx)$", views.arrivals_export, name="arrivals_export"),
    path("arrivals/new/<slug:kind>/", arrival_views.arrival_create, name="arrival_create"),
    path("arrivals/<int:pk>/", arrival_views.arrival_detail, name="arrival_detail"),
    path("arrivals/<int:pk>/date/", arrival_views.arrival_date, name="arrival_date"),
    path("arrivals/<int:pk>/convert/", arrival_views.arrival_convert, name="arrival_convert"),
    path("arrivals/<int:pk>/<slug:step>/", arrival_views.arrival_step, name="arrival_step"),
    path("tasks/<int:pk>/", arrival_views.task_update, name="task_update"),
    path("templates/<slug:kind>/", template_views.task_template, name="template"),
    path("templates/<slug:kind>/<int:municipality_id>/", template_views.task_template, name="template_for"),
    path("health/", health_views.health_list, name="health"),
    path("health/<int:pk>/", health_views.health_detail, name="health_detail"),
    *agreement_urls.urlpatterns,
    *flat_urls.urlpatterns,
    *minor_urls.urlpatterns,
]
