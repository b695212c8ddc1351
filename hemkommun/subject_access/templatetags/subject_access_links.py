"""The client page's link to the subject-access page, for the holding organisation's DPO only."""

from django import template

from hemkommun.access import policy

register = template.Library()


@register.inclusion_tag("subject_access/_client_link.html", takes_context=True)
def subject_access_link(context, client):
    user = context["request"].user
    return {"client": client, "may_produce": policy.can_produce_subject_access(user, client)}
