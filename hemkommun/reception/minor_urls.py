"""URLs of the minor pages (joined into the reception namespace by urls.py)."""

urlpatterns: list = []
