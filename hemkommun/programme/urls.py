from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("import/", views.programme_import, name="import"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/statuses/<int:year>/", views.statuses_edit, name="statuses"),
    path("<int:pk>/approvals/<int:owner_pk>/", views.approval_edit, name="approval"),
    path("<int:pk>/revise/", views.programme_revise, name="revise"),
]
