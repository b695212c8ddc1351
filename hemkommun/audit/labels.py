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
# An erasure's action: not among the changes of the filter, for it changes no client data.
OTHER_ACTIONS = {"erase": _("Removed lawfully")}

ERASURE_PURPOSES = {
    "client_anonymise": _("anonymisation of a client record"),
    "client_erase": _("erasure of a client record"),
    "read_log": _("the read log's retention rule"),
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
    return str(WRITE_ACTIONS.get(action) or OTHER_ACTIONS.get(action, action))


def kind_label(kind: str) -> str:
    return str(AuditSeal.Kind(kind).label) if kind in AuditSeal.Kind.values else kind


def missing_entry() -> str:
    return str(_("The entry is missing: see the verification of the chain."))


def erasure_text(erasure) -> str:
    """What an erasure entry removed and why (no client: the destruction record has the number)."""
    return str(
        _("%(count)s log entries removed by %(purpose)s (retention proposal %(reference)s)")
        % {
            "count": erasure.count,
            "purpose": ERASURE_PURPOSES.get(erasure.purpose, erasure.purpose),
            "reference": erasure.reference or "–",
        }
    )
