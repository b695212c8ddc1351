"""The API's endpoints. Each reads through the same access rules as the pages (access/policy.py)
and writes every client it returns to the read log, as the pages do."""

import datetime
import hashlib
from collections.abc import Sequence

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from hemkommun.access import policy
from hemkommun.core.audit import record_reads
from hemkommun.core.models import ReadEvent

from .models import Scope
from .permissions import HasScope
from .serializers import ClientSerializer, ErrorSerializer


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


ERRORS = dict.fromkeys((400, 401, 403, 404), ErrorSerializer)

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records changed at or after this time (ISO 8601 with a time zone).",
)


class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    """Clients the token's account may see."""

    serializer_class = ClientSerializer
    pagination_class = ChangedOrder
    permission_classes = [IsAuthenticated, HasScope]
    required_scope = Scope.CLIENTS_READ

    list_parameters = frozenset({"cursor", "page_size", "updated_since"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A parameter the endpoint does not know is refused, not ignored: a misspelt filter would
        # otherwise return everything, and the integration would not know.
        if self.action is None:  # a method the endpoint lacks: 405 follows
            return
        known = self.list_parameters if self.action == "list" else frozenset()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {name or "?": [_("Unknown parameter.")] for name in unknown[:10]}
            )

    def get_queryset(self):
        clients = policy.visible_clients(self.request.user).select_related(
            "organisation", "municipality_of_residence"
        )
        since = self.request.query_params.get("updated_since")
        if since is not None:  # given empty is a mistake too
            moment = _moment(since)
            if moment is None or moment.tzinfo is None:
                raise exceptions.ValidationError(
                    {"updated_since": [_("Give a time in ISO 8601 with a time zone.")]}
                )
            clients = clients.filter(updated_at__gte=moment)
        return clients.order_by("updated_at", "id")

    @extend_schema(parameters=[UPDATED_SINCE], responses={200: ClientSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log(request, [client["id"] for client in response.data["results"]])
        return response

    @extend_schema(responses={200: ClientSerializer, 304: None, **ERRORS})
    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        etag = _etag(client)
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        self._log(request, [client.pk])
        return Response(self.get_serializer(client).data, headers={"ETag": etag})

    def _log(self, request, client_ids: Sequence[int]) -> None:
        record_reads(
            user=request.user, client_ids=client_ids, action=ReadEvent.Action.API, context=request.path
        )


def _moment(text: str):
    """The time given, in UTC, or None when it is not one (2026-13-45 included). In UTC because
    Python allows offsets up to 24 hours and PostgreSQL only up to 16."""
    try:
        moment = parse_datetime(text) if len(text) <= 40 else None
        return moment.astimezone(datetime.UTC) if moment is not None and moment.tzinfo else moment
    except (ValueError, OverflowError):
        return None


def _etag(client) -> str:
    """Changes whenever the record does: its id and the time of its last change."""
    return (
        '"' + hashlib.sha256(f"{client.pk}:{client.updated_at.isoformat()}".encode()).hexdigest()[:32] + '"'
    )
