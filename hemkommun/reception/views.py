"""Pages of arrivals and moves: the board, the calendar, a family's page and its steps."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .pages import managed_municipalities


@login_required
def board(request):
    if not managed_municipalities(request.user):
        raise Http404
    return render(request, "reception/board.html", {})
