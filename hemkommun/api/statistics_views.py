"""The statistics through the API: the same figures as the statistics page
(reports.statistics), for the organisations the token's account may report on.

An integration is outside the unit by definition, so its figures are always those for sharing:
groups smaller than 5 suppressed, with the complementary cells and totals that would give them
away (reports/suppression.py). A hidden figure has no value in the answer, only the reason."""

import dataclasses

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from hemkommun.access import policy
from hemkommun.casework.codes import AgeGroup
from hemkommun.clients.codes import LANGUAGES, ResidenceGround, Sex
from hemkommun.reports import suppression
from hemkommun.reports.forms import StatisticsForm
from hemkommun.reports.statistics import Scope, statistics

from .base import ERRORS
from .models import Scope as TokenScope
from .permissions import HasScope


def _reason(cell) -> str | None:
    """Why a figure has no value: a small group, a cell hidden so that a small group cannot be
    worked out, or a figure not counted for these filters."""
    if cell.value is not None:
        return None
    if cell.shown == suppression.NOT_COUNTED:
        return "not_counted"
    return "small" if cell.shown == suppression.small_marker() else "complementary"


class CellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="The figure, or null when it is not given.")
    suppressed = serializers.ChoiceField(
        choices=["small", "complementary", "not_counted"],
        allow_null=True,
        help_text="small: a group of 1-4; complementary: hidden so that a small group cannot be "
        "worked out from the total; not_counted: not counted for these filters.",
    )

    def to_representation(self, cell):
        return {"value": cell.value, "suppressed": _reason(cell)}


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A code that does not change with the language.")
    label = serializers.CharField()
    cells = CellSerializer(many=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    caption = serializers.CharField()
    row_header = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    total = RowSerializer(allow_null=True)


class StatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    organisations = serializers.ListField(child=serializers.CharField(), help_text="Organisation codes.")
    exact = serializers.BooleanField(help_text="Always false: figures through the API are for sharing.")
    notes = serializers.ListField(child=serializers.CharField())
    tables = TableSerializer(many=True)

    def to_representation(self, result):
        return {
            "date_from": result.date_from.isoformat(),
            "date_to": result.date_to.isoformat(),
            "organisations": [organisation.code for organisation in result.organisations],
            "exact": result.exact,
            "notes": [str(note) for note in result.notes],
            "tables": [
                {
                    "key": table.key,
                    "caption": str(table.caption),
                    "row_header": str(table.row_header),
                    "headers": [str(header) for header in table.headers],
                    "rows": [_row(row) for row in table.rows],
                    "total": _row(table.total) if table.total else None,
                }
                for table in result.tables
            ],
        }


def _row(row) -> dict:
    return {
        "key": row.key,
        "label": str(row.label),
        "cells": [CellSerializer(cell).data for cell in row.cells],
    }


# A day of the years the statistics cover (reports.forms.FIRST_YEAR..LAST_YEAR), so that the
# schema promises no date the form would refuse.
DAY = {"type": "string", "format": "date", "pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"}


def _codes(choices) -> dict:
    return {"type": "string", "enum": [str(code) for code, _label in choices]}


FILTERS = [
    OpenApiParameter(
        "organisation",
        {"type": "string", "minLength": 1},
        description="An organisation's code (default: all the account's). One the account does not "
        "report on is not found (404).",
    ),
    OpenApiParameter(
        "unit",
        OpenApiTypes.INT,
        description="A unit's id. One outside the organisations chosen is not found (404).",
    ),
    OpenApiParameter("date_from", DAY, description="First day of the period (default: 1 January)."),
    OpenApiParameter(
        "date_to",
        DAY,
        description="Last day of the period (default: 31 December); not before date_from (400).",
    ),
    OpenApiParameter("residence_ground", _codes(ResidenceGround.choices), description="A residence ground."),
    OpenApiParameter("language", _codes(LANGUAGES.items()), description="A native language."),
    OpenApiParameter(
        "age_group",
        _codes(AgeGroup.choices),
        description="An age group at the end of the period.",
    ),
    OpenApiParameter("sex", _codes(Sex.choices), description="Sex."),
]


class StatisticsView(APIView):
    """Figures of the organisations the account reports on (coordinators and reporting staff)."""

    permission_classes = [IsAuthenticated, HasScope]
    required_scope = TokenScope.STATISTICS_READ

    @extend_schema(parameters=FILTERS, responses={200: StatisticsSerializer, **ERRORS})
    def get(self, request):
        known = {parameter.name for parameter in FILTERS}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name or "?": [_("Unknown parameter.")] for name in unknown[:10]}
            )
        organisations = policy.statistics_organisations(request.user)
        if not organisations:
            raise exceptions.PermissionDenied(_("The account follows the figures of no organisation."))
        form = StatisticsForm(
            _single_values(request), organisations=organisations, today=timezone.localdate()
        )
        if not form.is_valid():
            if {"organisation", "unit"} & set(form.errors):
                # Whether another organisation or its unit exists is not the integration's business.
                raise exceptions.NotFound(_("No such organisation or unit among the account's."))
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        filters = dataclasses.replace(form.filters(), for_sharing=True)
        chosen = {o.pk for o in filters.organisations} or {o.pk for o in organisations}
        result = statistics(scope=Scope(frozenset(chosen), exact=False), filters=filters)
        return Response(StatisticsSerializer(result).data)


def _single_values(request) -> dict:
    """Each filter once: a repeated one is a mistake, not a choice of several."""
    values = {}
    for name in request.query_params:
        given = request.query_params.getlist(name)
        if len(given) != 1:
            raise exceptions.ValidationError({name: [_("Give %(name)s once.") % {"name": name}]})
        if not given[0]:  # an empty filter is a mistake, not "all"
            raise exceptions.ValidationError(
                {name: [str(serializers.CharField.default_error_messages["blank"])]}
            )
        values[name] = given[0]
    return values
