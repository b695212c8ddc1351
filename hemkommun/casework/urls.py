from django.urls import path, re_path

from . import plan_urls, referral_urls, views, worklist_views

app_name = "casework"
urlpatterns = [
    path("drop-in/", views.drop_in, name="drop_in"),
    path("clients/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("rules/", views.rules, name="rules"),
    path("clients/<int:pk>/timeline/", views.timeline, name="timeline"),
    path("worklist/", worklist_views.worklist, name="worklist"),
    re_path(r"^worklist\.(?P<file_format>csv|xlsx)$", worklist_views.worklist_export, name="worklist_export"),
    path("notifications/<int:pk>/read/", worklist_views.notification_read, name="notification_read"),
    *plan_urls.urlpatterns,
    *referral_urls.urlpatterns,
]
