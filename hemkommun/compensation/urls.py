from django.urls import path

from . import views

app_name = "compensation"
urlpatterns = [
    path("parameters/", views.parameters, name="parameters"),
]
