from auditlog.registry import auditlog

from .models import Client, ClientLanguage, EarlierResidence, Household, HouseholdMember

# Every change of a client keeps its history; the identity code is masked completely, and its
# blind index is left out (it would tell whether two log entries hold the same code), and so is
# the name key, derived from the names that are logged.
# Only the client's own fields: not timestamps, nor reverse relations (tokens, reads, shares).
_CLIENT_FIELDS = [
    f.name
    for f in Client._meta.concrete_fields
    if f.name not in {"id", "created_at", "updated_at", "identity_code_index", "name_key"}
]
auditlog.register(Client, include_fields=_CLIENT_FIELDS, mask_fields=["identity_code"])
auditlog.register(ClientLanguage)
auditlog.register(Household)
auditlog.register(HouseholdMember)
auditlog.register(EarlierResidence)
