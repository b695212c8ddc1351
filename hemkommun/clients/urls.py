from django.urls import path, re_path

from hemkommun.access import views as consent_views

from . import export_views, household_views, import_views, move_views, views

app_name = "clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("import/", import_views.client_import, name="import"),
    re_path(r"^export\.(?P<file_format>csv|xlsx)$", export_views.client_export, name="export"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/share/", views.client_share, name="share"),
    path("<int:pk>/consents/", consent_views.consent_create, name="consent_create"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        consent_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/household/join/", household_views.household_join, name="household_join"),
    path("<int:pk>/move/", move_views.client_move_page, name="move"),
    path("<int:pk>/move/undo/", move_views.client_move_undo_view, name="move_undo"),
    path("<int:pk>/household/leave/", household_views.household_leave, name="household_leave"),
]
