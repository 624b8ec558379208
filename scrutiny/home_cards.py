"""Scrutiny's card on the home page: milestones due or overdue on the cases the user oversees, manages or leads.
See organisation/home_cards.py for what a card function is."""

from organisation.models import Role
from organisation.navigation import named_sections
from scrutiny import selectors


def scrutiny_card(request, *, held, today):
    # A case review manager holds no role: the card shows them the cases naming them (see navigation).
    if Role.CASE_SCRUTINY not in held and "case_reviews" not in named_sections(request.session):
        return None
    context = {
        "scrutiny_card": selectors.home_card(request.user, today),
        "is_scrutiny_holder": Role.CASE_SCRUTINY in held,
    }
    return "scrutiny/_home_card.html", context
