"""The client page's link to the record export and the note of an imported record."""

from django import template

from hemkommun.access import policy

register = template.Library()


@register.inclusion_tag("exchange/_client_links.html", takes_context=True)
def exchange_links(context, client):
    from ..models import RecordImport

    user = context["request"].user
    return {
        "client": client,
        "may_export": policy.can_do_casework(user, client),
        "record_import": RecordImport.objects.filter(client=client).first(),
    }


@register.simple_tag(takes_context=True)
def may_import_records(context) -> bool:
    from ..importing import importing_organisations

    return bool(importing_organisations(context["request"].user))
