from django.contrib import admin
from django.urls import include, path

from hemkommun.accounts.urls import sign_in_urls
from hemkommun.core import views as core_views
from hemkommun.programme.survey_views import survey_answer

urlpatterns = [
    path("", core_views.home, name="home"),
    *sign_in_urls,
    path("", include("hemkommun.accounts.urls")),
    path("sso/", include("hemkommun.sso.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("hemkommun.clients.urls")),
    path("casework/", include("hemkommun.casework.urls")),
    path("reception/", include("hemkommun.reception.urls")),
    path("compensation/", include("hemkommun.compensation.urls")),
    path("programme/", include("hemkommun.programme.urls")),
    path("exports/", include("hemkommun.exports.urls")),
    path("reports/", include("hemkommun.reports.urls")),
    path("exchange/", include("hemkommun.exchange.urls")),
    path("audit/", include("hemkommun.audit.urls")),
    path("retention/", include("hemkommun.retention.urls")),
    path("subject-access/", include("hemkommun.subject_access.urls")),
    path("api/v1/", include("hemkommun.api.urls")),
    # The survey's public page: answered without an account, through a link of one's own.
    path("survey/<str:token>/", survey_answer, name="survey_answer"),
    path("admin/", admin.site.urls),
]

handler404 = "hemkommun.api.errors.not_found"
