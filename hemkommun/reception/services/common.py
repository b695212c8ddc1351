"""What every reception service checks first."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hemkommun.access import policy


def check_manager(by, municipality_id: int) -> None:
    """Refuse unless ``by`` manages arrivals in the municipality (its coordinators and case workers)."""
    if not policy.can_manage_arrivals(by, municipality_id):
        raise ValidationError(
            _("You may not manage arrivals in this municipality."), code="reception_forbidden"
        )
