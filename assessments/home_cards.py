"""The assessments' cards on the home page: assessments of the user's own work, and for an assessor their
assessing (drafts, plans, feedback and actions). See organisation/home_cards.py for what a card function is."""

from assessments import challenges, feedback, planning, selectors
from assessments.models import Assessment
from organisation import scoping
from organisation.models import Role


def own_work_card(request, *, held, today):
    user = request.user
    recent = Assessment.objects.filter(assessed=user, work_date__gte=selectors.six_months_before(today))
    context = {
        "own_recent_count": recent.count(),
        "awaiting_acknowledgement": challenges.awaiting_acknowledgement(user),
    }
    return "assessments/_home_own_work.html", context


def assessing_card(request, *, held, today):
    if Role.ASSESSOR not in held:
        return None
    user = request.user
    context = {
        "assessable_count": scoping.assessable_people(user).count(),
        "drafts": list(selectors.open_drafts(user)[:10]),
        "plans": planning.plans_for_home(user, today),
        "feedback_card": feedback.home_card(user, today),
    }
    return "assessments/_home_assessing.html", context
