"""The home page, a card from each app, and a person's page, with the IQAs of their work the viewer may open."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from assessments import home_cards as assessments_cards
from assessments import selectors as assessment_selectors
from dipsampling import home_cards as dipsampling_cards
from organisation import home_cards as organisation_cards
from organisation import scoping
from organisation.models import RoleGrant
from organisation.selectors import current_memberships
from organisation.services import access_log_record
from qa_platform.pagination import page_of
from scrutiny import home_cards as scrutiny_cards

# The home page's cards, in the order it shows them.
CARDS = (
    assessments_cards.own_work_card,
    organisation_cards.team_card,
    assessments_cards.assessing_card,
    scrutiny_cards.scrutiny_card,
    dipsampling_cards.dip_sampling_card,
    organisation_cards.roles_card,
)


@login_required
def home(request):
    held, today = scoping.roles_held(request.user), timezone.localdate()
    cards = [card for card in (make(request, held=held, today=today) for make in CARDS) if card]
    context = {"card_templates": [template for template, _ in cards]}
    for _, card_context in cards:
        context.update(card_context)
    return render(request, "home.html", context)


@login_required
def person_detail(request, pk):
    person = get_object_or_404(scoping.visible_people(request.user).prefetch_related(current_memberships()), pk=pk)
    access_log_record(
        viewer=request.user,
        subject=person,
        what=request.path,
        purpose=scoping.purpose_for_viewing(request.user, person),
    )
    context = {
        "person": person,
        "memberships": person.memberships.select_related("team__unit__area").order_by("-starts_on"),
        "grants": RoleGrant.objects.filter(person=person).select_related("team__unit", "unit__area", "area"),
        # Only those the viewer may open: seeing a person's page is not leave to read every IQA of their work.
        "page": page_of(request, assessment_selectors.iqas_of_work_by(request.user, person)),
    }
    return render(request, "organisation/person_detail.html", context)
