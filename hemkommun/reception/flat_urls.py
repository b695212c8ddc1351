"""URLs of the flat pages (joined into the reception namespace by urls.py)."""

urlpatterns: list = []
