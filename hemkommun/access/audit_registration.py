from auditlog.registry import auditlog

from .models import Share

auditlog.register(Share)
