"""Dip sampling's card on the home page: samples to record, challenges to decide, consistency exercises to answer.
See organisation/home_cards.py for what a card function is."""

from assessments import challenges
from dipsampling import selectors
from organisation.models import Role


def dip_sampling_card(request, *, held, today):
    user = request.user
    context = {
        "exercise_invitations": selectors.exercises_awaiting_answers(user) if Role.ASSESSOR in held else [],
        "dip_samples_to_record": selectors.dip_samples_to_record(user) if Role.DIP_SAMPLER in held else None,
        "pending_challenges": challenges.pending_challenges_for(user).count() if Role.DIP_SAMPLER in held else None,
    }
    shown = context["exercise_invitations"] or Role.DIP_SAMPLER in held
    return ("dipsampling/_home_card.html", context) if shown else None
