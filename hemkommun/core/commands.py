"""Pieces shared by the management commands that write as a member of staff."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def acting_user(username: str | None, stderr):
    """The active user named, or else the first active superuser (said on ``stderr``): imports
    go through the services, which ask who is acting."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(_("No active user “%(username)s”.") % {"username": username})
        return user
    user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError(_("Give --user: there is no active superuser to act as."))
    stderr.write(_("Acting as the superuser “%(username)s”.") % {"username": user.username})
    return user
