from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from . import casework_views, programme_views, statistics_views, views

router = SimpleRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("contacts", casework_views.ContactViewSet, basename="contact")
router.register("assessments", casework_views.AssessmentViewSet, basename="assessment")
router.register("plans", casework_views.PlanViewSet, basename="plan")
router.register("referrals", casework_views.ReferralViewSet, basename="referral")
router.register("arrivals", programme_views.ArrivalViewSet, basename="arrival")
router.register("activities", programme_views.ActivityViewSet, basename="activity")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("statistics/", statistics_views.StatisticsView.as_view(), name="statistics"),
    path("", include(router.urls)),
]
