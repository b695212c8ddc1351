from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("drop-in/", views.drop_in, name="drop_in"),
    path("clients/<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("rules/", views.rules, name="rules"),
]
