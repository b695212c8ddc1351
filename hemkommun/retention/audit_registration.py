from auditlog.registry import auditlog

from .models import LegalHold, RetentionRule

# The rules are law data: every earlier value is kept. Holds: placing and lifting are logged.
auditlog.register(RetentionRule)
auditlog.register(LegalHold)
