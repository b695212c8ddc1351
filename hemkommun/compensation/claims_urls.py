"""URLs of actual costs and cost claims (joined into the compensation namespace by urls.py)."""

from django.urls import path, re_path

from . import claims_views as views

urlpatterns: list = [
    path("costs/", views.cost_list, name="costs"),
    re_path(r"^costs\.(?P<file_format>csv|xlsx)$", views.cost_list_export, name="costs_export"),
    path("costs/new/", views.cost_create, name="cost_create"),
    path("costs/<int:pk>/", views.cost_edit, name="cost_edit"),
    path("costs/<int:pk>/delete/", views.cost_delete, name="cost_delete"),
    path("claims/", views.claim_list, name="claims"),
    re_path(r"^claims\.(?P<file_format>csv|xlsx)$", views.claim_list_export, name="claims_export"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/collect/", views.claim_collect, name="claim_collect"),
    path("claims/<int:pk>/costs/add/", views.claim_add_cost, name="claim_add_cost"),
    path("claims/<int:pk>/costs/<int:cost_pk>/remove/", views.claim_remove_cost, name="claim_remove_cost"),
    path("claims/<int:pk>/send/", views.claim_send, name="claim_send"),
    path("claims/<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("claims/<int:pk>/claim.xlsx", views.claim_xlsx, name="claim_xlsx"),
    path("claims/<int:pk>/claim.pdf", views.claim_pdf, name="claim_pdf"),
]
