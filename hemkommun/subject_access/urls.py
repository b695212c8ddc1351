from django.urls import path

from . import views

app_name = "subject_access"
urlpatterns = [
    path("clients/<int:pk>/", views.client_page, name="client"),
]
