"""Pages of assessments and integration plans."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hemkommun.access import policy
from hemkommun.clients import selectors as client_selectors
from hemkommun.clients.codes import LANGUAGES
from hemkommun.core.forms import add_service_errors

from . import selectors
from .models import Assessment, IntegrationPlan, PlanMeasure
from .plan_document import document_languages, plan_pdf
from .plan_forms import (
    AssessmentForm,
    DateForm,
    ExtensionForm,
    GoalForm,
    MeasureForm,
    PlanForm,
    ResponsibilityForm,
)
from .services import assessments as assessment_services
from .services import plans as plan_services


def _client_for_casework(request, pk: int):
    client = client_selectors.client_get(user=request.user, pk=pk)
    if not policy.can_do_casework(request.user, client):
        raise PermissionDenied
    return client


# --- assessments -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk: int):
    client = _client_for_casework(request, pk)
    client_selectors.log_detail_read(user=request.user, client=client, context="assessment")
    may_see_health = policy.can_view_health(request.user, client)
    form = AssessmentForm(request.POST or None, may_see_health=may_see_health)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_services.assessment_create(
                by=request.user,
                client=client,
                data=form.service_data(),
                languages=form.cleaned_data["languages"],
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment saved as a draft."))
            return redirect("casework:assessment", pk=assessment.pk)
    return render(request, "casework/assessment_form.html", {"form": form, "client": client})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    client = assessment.client
    client_selectors.log_detail_read(user=request.user, client=client, context="assessment")
    may_see_health = policy.can_view_health(request.user, client)
    may_edit = policy.can_do_casework(request.user, client) and assessment.status != Assessment.Status.SIGNED
    form = AssessmentForm(instance=assessment, may_see_health=may_see_health) if may_edit else None
    date_form = DateForm(prefix="status")
    if request.method == "POST":
        if not policy.can_do_casework(request.user, client):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "save" and may_edit:
                form = AssessmentForm(request.POST, instance=assessment, may_see_health=may_see_health)
                if form.is_valid():
                    assessment_services.assessment_update(
                        by=request.user,
                        assessment=assessment,
                        data=form.service_data(),
                        languages=form.cleaned_data["languages"],
                        participants=form.cleaned_data["participants"],
                    )
                    messages.success(request, _("Changes saved."))
                    return redirect("casework:assessment", pk=assessment.pk)
            elif action in ("complete", "sign"):
                date_form = DateForm(request.POST, prefix="status")
                if date_form.is_valid():
                    day = date_form.cleaned_data["day"]
                    if action == "complete":
                        assessment_services.assessment_complete(
                            by=request.user, assessment=assessment, completed_on=day
                        )
                        messages.success(request, _("Assessment completed."))
                    else:
                        assessment_services.assessment_sign(
                            by=request.user, assessment=assessment, signed_on=day
                        )
                        messages.success(request, _("Assessment signed."))
                    return redirect("casework:assessment", pk=assessment.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            assessment.refresh_from_db()
            add_service_errors(form if action == "save" else date_form, error)
    context = {
        "assessment": assessment,
        "client": client,
        "form": form,
        "date_form": date_form,
        "may_see_health": may_see_health,
        "may_act": policy.can_do_casework(request.user, client),
    }
    return render(request, "casework/assessment_detail.html", context)


# --- plans -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request, pk: int):
    client = _client_for_casework(request, pk)
    client_selectors.log_detail_read(user=request.user, client=client, context="plan")
    form = PlanForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.plan_create(
                by=request.user,
                client=client,
                data=form.service_data(),
                participants=form.cleaned_data["participants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan saved as a draft: add its goals and measures."))
            return redirect("casework:plan", pk=plan.pk)
    return render(request, "casework/plan_form.html", {"form": form, "client": client})


# The plan page's actions and the form each is typed into (by its name in the page's context).
ACTION_FORMS = {
    "goal": "goal_form",
    "measure": "measure_form",
    "responsibility": "responsibility_form",
    "agree": "agree_form",
    "review": "review_form",
    "extend": "extension_form",
    "end": "end_form",
}
# Date fields of the services, typed into the date forms' one field.
DATE_ALIASES = {"agreed_on": "day", "reviewed_on": "day", "ended_on": "day"}


def _plan_forms(plan: IntegrationPlan, data=None, action: str = "") -> dict:
    """The forms of the plan page, the one that was submitted bound to its data."""

    def bound(name):
        return data if action == name else None

    return {
        "goal_form": GoalForm(bound("goal")),
        "measure_form": MeasureForm(bound("measure"), plan=plan),
        "responsibility_form": ResponsibilityForm(bound("responsibility")),
        "agree_form": DateForm(bound("agree"), prefix="agree"),
        "review_form": DateForm(bound("review"), prefix="review", with_notes=True),
        "extension_form": ExtensionForm(bound("extend")),
        "end_form": DateForm(bound("end"), prefix="end"),
    }


def _apply_plan_action(user, plan: IntegrationPlan, action: str, forms: dict, post) -> str | None:
    """Run the submitted action; its success message, or None when its form is invalid."""
    if action == "measure_status":
        try:
            measure = plan.measures.get(pk=int(post.get("measure", "")))
        except (ValueError, PlanMeasure.DoesNotExist):
            raise Http404 from None
        plan_services.measure_set_status(by=user, measure=measure, status=post.get("status", ""))
        return _("Measure updated.")
    form_name = ACTION_FORMS.get(action)
    if form_name is None:
        raise PermissionDenied
    form = forms[form_name]
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if action == "goal":
        plan_services.goal_add(by=user, plan=plan, data=data)
        return _("Goal added.")
    if action == "measure":
        plan_services.measure_add(by=user, plan=plan, data=data)
        return _("Measure added.")
    if action == "responsibility":
        plan_services.responsibility_set(
            by=user, plan=plan, party=data["party"], description=data["description"]
        )
        return _("Responsibility saved.")
    if action == "agree":
        plan_services.plan_agree(by=user, plan=plan, agreed_on=data["day"])
        return _("The client has accepted the plan.")
    if action == "review":
        plan_services.plan_review(by=user, plan=plan, reviewed_on=data["day"], notes=data["notes"])
        return _("Review recorded.")
    if action == "extend":
        plan_services.plan_extend(by=user, plan=plan, new_end=data["new_end"], reason=data["reason"])
        return _("Plan extended.")
    plan_services.plan_end(by=user, plan=plan, ended_on=data["day"])
    return _("Plan ended.")


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    client = plan.client
    client_selectors.log_detail_read(user=request.user, client=client, context="plan")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _plan_forms(plan, request.POST, action)
    if request.method == "POST":
        if not policy.can_do_casework(request.user, client):
            raise PermissionDenied
        try:
            message = _apply_plan_action(request.user, plan, action, forms, request.POST)
        except ValidationError as error:
            target = forms.get(ACTION_FORMS.get(action, ""))
            if target is None:  # the measure status, changed from the measures table
                messages.error(request, " ".join(error.messages))
            else:
                add_service_errors(target, error, aliases=DATE_ALIASES)
        else:
            if message:
                messages.success(request, message)
                return redirect("casework:plan", pk=plan.pk)
    context = {
        "plan": plan,
        "client": client,
        "may_act": policy.can_do_casework(request.user, client),
        "may_see_health": policy.can_view_health(request.user, client),
        "measure_statuses": PlanMeasure.Status.choices,
        "languages": [(code, LANGUAGES.get(code, code)) for code in document_languages(plan)],
        "open_form": action,
        **forms,
    }
    return render(request, "casework/plan_detail.html", context)


@login_required
def plan_download(request, pk: int, language: str):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if language not in document_languages(plan):
        raise Http404
    client_selectors.log_detail_read(user=request.user, client=plan.client, context=f"plan pdf {language}")
    include_health = policy.can_view_health(request.user, plan.client)
    content = plan_pdf(plan=plan, language=language, include_health=include_health)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="integration-plan-{plan.pk}-{language}.pdf"'
    return response
