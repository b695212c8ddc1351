from auditlog.registry import auditlog

from .models import Membership, Organisation, Unit, User

auditlog.register(Organisation)
auditlog.register(Unit)
auditlog.register(Membership)
auditlog.register(User, exclude_fields=["password", "last_login"])
