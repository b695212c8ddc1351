from auditlog.registry import auditlog

from .models import Client, ClientLanguage, Household, HouseholdMember

# Every change of a client keeps its history; the identity code is masked completely.
auditlog.register(Client, mask_fields=["identity_code"])
auditlog.register(ClientLanguage)
auditlog.register(Household)
auditlog.register(HouseholdMember)
