"""Names of the audit log's kinds and actions, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from hemkommun.core.models import ReadEvent

from .models import AuditSeal

WRITE_ACTIONS = {
    "create": _("Created"),
    "update": _("Changed"),
    "delete": _("Deleted"),
    "access": _("Opened"),
}


def action_choices() -> list:
    """The action filter: either log as a whole, or one action of it."""
    return [
        ("", _("All actions")),
        (AuditSeal.Kind.READ.value, _("All reads")),
        (AuditSeal.Kind.WRITE.value, _("All changes")),
        (_("Reads"), list(ReadEvent.Action.choices)),
        (_("Changes"), list(WRITE_ACTIONS.items())),
    ]


def action_label(action: str) -> str:
    if action in ReadEvent.Action.values:
        return str(ReadEvent.Action(action).label)
    return str(WRITE_ACTIONS.get(action, action))


def kind_label(kind: str) -> str:
    return str(AuditSeal.Kind(kind).label) if kind in AuditSeal.Kind.values else kind


def missing_entry() -> str:
    return str(_("The entry is missing: see the verification of the chain."))
