from django.utils.translation import gettext as _
from rest_framework import permissions

from .models import ApiToken


class HasScope(permissions.BasePermission):
    """The token carries the view's ``required_scope``."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        self.message = _("The token lacks the scope %(scope)s.") % {"scope": view.required_scope}
        return view.required_scope in token.scope_set
