from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.proposal_list, name="proposals"),
    path("decide/", views.proposal_decide, name="decide"),
    path("destroyed/", views.destruction_list, name="destroyed"),
    path("holds/", views.hold_list, name="holds"),
    path("holds/<int:pk>/lift/", views.hold_lift_view, name="hold_lift"),
]
