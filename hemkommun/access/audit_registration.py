from auditlog.registry import auditlog

from .models import Consent, LegalBasis, Share

auditlog.register(Share)
auditlog.register(Consent)
auditlog.register(LegalBasis)
