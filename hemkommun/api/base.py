"""What every read-only endpoint of the API does, written once: the token's scope, the access
rules (each endpoint says how its records are scoped), unknown parameters refused, filters and
``updated_since`` checked, cursor pages in a stable order, the read log, and ETags."""

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from .permissions import HasScope
from .serializers import ErrorSerializer


class ChangedOrder(CursorPagination):
    """Oldest change first, so that an integration can follow the changes with ``updated_since``
    or the ``next`` link without missing or repeating a record."""

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request) -> int:
        """A page size given must be a number from 1 to max_page_size: DRF would quietly use the
        default for anything else, hiding the integration's mistake."""
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        valid = len(given) == 1 and given[0].isdecimal() and len(given[0]) <= 3
        if not valid or not 1 <= int(given[0]) <= self.max_page_size:
            message = _("Give page_size once, as a number from 1 to %(most)s.") % {"most": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(given[0])

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters


class RecordedOrder(ChangedOrder):
    """For records without a time of change: the order they were recorded in (ids only grow), so
    that a page never repeats or skips a record and new records come at the end."""

    ordering = ("id",)


ERRORS = dict.fromkeys((400, 401, 403, 404, 429), ErrorSerializer)

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this time (ISO 8601 with a time zone).",
)


@dataclass(frozen=True)
class Filter:
    """A list filter: the parameter, the field it filters, and what it accepts."""

    name: str
    lookup: str
    description: str
    choices: tuple[str, ...] = ()  # codes; empty: a record number

    def parse(self, values: list[str]):
        if len(values) == 1 and self.choices and values[0] in self.choices:
            return values[0]
        if len(values) == 1 and not self.choices and values[0].isdecimal() and len(values[0]) <= 18:
            return int(values[0])
        if self.choices:
            message = _("Give %(name)s once, as one of the codes: %(codes)s.") % {
                "name": self.name,
                "codes": ", ".join(self.choices),
            }
        else:
            message = _("Give %(name)s once, as a record number.") % {"name": self.name}
        raise exceptions.ValidationError({self.name: [message]})

    def parameter(self) -> OpenApiParameter:
        if self.choices:
            return OpenApiParameter(
                self.name, OpenApiTypes.STR, enum=list(self.choices), description=self.description
            )
        number = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
        return OpenApiParameter(self.name, number, description=self.description)


class ReadEndpoint(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint. A subclass names its scope and serializer and gives ``scoped``: its
    records as the pages show them to the account, and ``client_ids``: the clients of the records
    an answer holds, for the read log."""

    permission_classes = [IsAuthenticated, HasScope]
    pagination_class = RecordedOrder
    required_scope: str = ""
    filters: tuple[Filter, ...] = ()
    # The field of the time of change, for ``updated_since``; None where the model keeps none.
    changed_field: str | None = None

    @classmethod
    def list_parameters(cls) -> frozenset[str]:
        names = {"cursor", "page_size", *(f.name for f in cls.filters)}
        if cls.changed_field:
            names.add("updated_since")
        return frozenset(names)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A parameter the endpoint does not know is refused, not ignored: a misspelt filter would
        # otherwise return everything, and the integration would not know.
        if self.action is None:  # a method the endpoint lacks: 405 follows
            return
        known = self.list_parameters() if self.action == "list" else frozenset()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name or "?": [_("Unknown parameter.")] for name in unknown[:10]}
            )

    # --- what a subclass says -------------------------------------------------------------------

    def scoped(self) -> QuerySet:
        """The records the account may see, as on the pages, with their children prefetched."""
        raise NotImplementedError

    def client_ids(self, records: list) -> list[int]:
        """The clients whose data these records hold (records without a client: none)."""
        return sorted({record.client_id for record in records if record.client_id})

    def serializer_context_for(self, records: list) -> dict:
        """More context for the serializer, read once for a whole page (e.g. health access)."""
        return {}

    # --- the rules, once --------------------------------------------------------------------------

    def get_queryset(self):
        records = self.scoped()
        if self.action != "list":
            return records
        params = self.request.query_params
        for spec in self.filters:
            if spec.name in params:
                records = records.filter(**{spec.lookup: spec.parse(params.getlist(spec.name))})
        if self.changed_field and "updated_since" in params:  # given empty is a mistake too
            records = records.filter(
                **{f"{self.changed_field}__gte": _since(params.getlist("updated_since"))}
            )
        return records

    def list(self, request, *args, **kwargs):
        page = list(self.paginate_queryset(self.get_queryset()))
        data = self._serialize(page, many=True)
        self._log(request, self.client_ids(page))
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        data = self._serialize([record], many=False)
        etag = _etag(data)
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        self._log(request, self.client_ids([record]))
        return Response(data, headers={"ETag": etag})

    def get_object(self):
        # The lookup goes through the scoped records only: another organisation's id is a 404.
        pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(pk).isdecimal() or len(str(pk)) > 18:
            raise exceptions.NotFound()
        record = self.get_queryset().filter(pk=int(pk)).first()
        if record is None:
            raise exceptions.NotFound()
        return record

    def _serialize(self, records: list, *, many: bool):
        context = {**self.get_serializer_context(), **self.serializer_context_for(records)}
        serializer_class = self.get_serializer_class()
        return serializer_class(records if many else records[0], many=many, context=context).data

    def _log(self, request, client_ids: Iterable[int]) -> None:
        record_reads(
            user=request.user, client_ids=list(client_ids), action=ReadEvent.Action.API, context=request.path
        )


def documented(endpoint: type[ReadEndpoint]) -> type[ReadEndpoint]:
    """The OpenAPI description of an endpoint's list and retrieve, from what the endpoint says."""
    serializer = endpoint.serializer_class
    parameters = [spec.parameter() for spec in endpoint.filters]
    if endpoint.changed_field:
        parameters.append(UPDATED_SINCE)
    return extend_schema_view(
        list=extend_schema(parameters=parameters, responses={200: serializer(many=True), **ERRORS}),
        retrieve=extend_schema(responses={200: serializer, 304: None, **ERRORS}),
    )(endpoint)


def _since(values: list[str]) -> datetime.datetime:
    moment = _moment(values[0]) if len(values) == 1 else None
    if moment is None or moment.tzinfo is None:
        raise exceptions.ValidationError({"updated_since": [_("Give a time in ISO 8601 with a time zone.")]})
    return moment


def _moment(text: str):
    """The time given, in UTC, or None when it is not one (2026-13-45 included). In UTC because
    Python allows offsets up to 24 hours and PostgreSQL only up to 16."""
    try:
        moment = parse_datetime(text) if len(text) <= 40 else None
        return moment.astimezone(datetime.UTC) if moment is not None and moment.tzinfo else moment
    except (ValueError, OverflowError):
        return None


def _etag(data) -> str:
    """Changes whenever what the account is shown does (children and health access included)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
