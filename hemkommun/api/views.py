"""The clients endpoint. Every endpoint reads through the same access rules as the pages
(access/policy.py) and writes every client it returns to the read log (api/base.py)."""

from hemkommun.access import policy

from .base import ChangedOrder, ReadEndpoint, documented
from .models import Scope
from .serializers import ClientSerializer


@documented
class ClientViewSet(ReadEndpoint):
    """Clients the token's account may see."""

    serializer_class = ClientSerializer
    pagination_class = ChangedOrder
    required_scope = Scope.CLIENTS_READ
    changed_field = "updated_at"

    def scoped(self):
        return (
            policy.visible_clients(self.request.user)
            .select_related("organisation", "municipality_of_residence")
            .order_by("updated_at", "id")
        )

    def client_ids(self, records: list) -> list[int]:
        return [client.pk for client in records]
