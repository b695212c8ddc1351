"""URLs of assessments and integration plans (joined into the casework namespace by urls.py)."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("clients/<int:pk>/assessments/new/", plan_views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", plan_views.assessment_detail, name="assessment"),
    path("clients/<int:pk>/plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:pk>/pdf/<slug:language>/", plan_views.plan_download, name="plan_pdf"),
]
