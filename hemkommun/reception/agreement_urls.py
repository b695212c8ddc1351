"""URLs of the agreement pages (joined into the reception namespace by urls.py)."""

urlpatterns: list = []
