"""URLs of referrals between organisations (joined into the casework namespace by urls.py)."""

from django.urls import path, re_path

from . import referral_views

urlpatterns: list = [
    path("clients/<int:pk>/referrals/new/", referral_views.referral_create, name="referral_create"),
    path("referrals/", referral_views.referral_inbox, name="referral_inbox"),
    re_path(
        r"^referrals\.(?P<file_format>csv|xlsx)$",
        referral_views.referral_inbox_export,
        name="referral_inbox_export",
    ),
    path("referrals/<int:pk>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/<slug:step>/", referral_views.referral_step, name="referral_step"),
    path("clients/<int:pk>/followups/", referral_views.followups, name="followups"),
    path("clients/<int:pk>/followups/<slug:kind>/", referral_views.followups, name="followup_add"),
]
