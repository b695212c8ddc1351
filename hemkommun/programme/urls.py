from django.urls import path, re_path

from . import activity_views, indicator_views, report_views, survey_views, views

app_name = "programme"
urlpatterns = [
    path("", views.programme_list, name="list"),
    re_path(r"^programmes\.(?P<file_format>csv|xlsx)$", views.programme_list_export, name="list_export"),
    path("import/", views.programme_import, name="import"),
    path("activities/", activity_views.activity_list, name="activities"),
    re_path(
        r"^activities\.(?P<file_format>csv|xlsx)$",
        activity_views.activity_list_export,
        name="activities_export",
    ),
    path("activities/new/", activity_views.activity_edit, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/sessions/new/", activity_views.session_create, name="session_create"),
    path("sessions/<int:pk>/", activity_views.session_detail, name="session"),
    path("sessions/<int:pk>/delete/", activity_views.session_delete, name="session_delete"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/statuses/<int:year>/", views.statuses_edit, name="statuses"),
    path("<int:pk>/approvals/<int:owner_pk>/", views.approval_edit, name="approval"),
    path("<int:pk>/revise/", views.programme_revise, name="revise"),
    path("<int:pk>/report/<int:year>/", report_views.report_page, name="report"),
    path("<int:pk>/report/<int:year>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("<int:pk>/report/<int:year>/report.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/surveys/new/", survey_views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", survey_views.survey_detail, name="survey"),
    path("surveys/<int:pk>/texts/<str:language>/", survey_views.survey_texts, name="survey_texts"),
    path("surveys/<int:pk>/questions/new/", survey_views.question_edit, name="question_create"),
    path("surveys/<int:pk>/questions/<int:question_pk>/", survey_views.question_edit, name="question_edit"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        survey_views.question_delete,
        name="question_delete",
    ),
    re_path(
        r"^surveys/(?P<pk>[0-9]+)/(?P<action>open|close)/$", survey_views.survey_state, name="survey_state"
    ),
    path("surveys/<int:pk>/links/", survey_views.invitations_create, name="invitations_create"),
    path("surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"),
    path("<int:pk>/indicators/new/", indicator_views.indicator_edit, name="indicator_create"),
    path("<int:pk>/indicators/<int:indicator_pk>/", indicator_views.indicator_edit, name="indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/delete/",
        indicator_views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/values/",
        indicator_views.indicator_values,
        name="indicator_values",
    ),
]
