"""What the scrutiny pages share: the case the user may open, refusals put on a form, and the holders-only pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from organisation import scoping
from organisation.models import Role
from scrutiny import selectors

NOT_SAVED = "Nothing has been saved: put right what is marked below. Nothing you typed is lost."


def visible_case(request, pk):
    """The case review, if the user may see it; a 404 otherwise."""
    return get_object_or_404(
        selectors.visible_case_reviews(request.user).select_related(
            "case_review_manager", "group_leader", "team__unit__area"
        ),
        pk=pk,
    )


def put_on_form(form, error: ValidationError) -> None:
    """A service's refusal next to the field it concerns, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def for_scrutiny_holders(request):
    """The MOT selection and the overview are for case scrutiny holders only, never linked for anyone else.

    Seed 000 (3.1(1)) gives the case-plan MOT dip sample and the 10-month scrutiny to group leaders, and the
    overview counts a purview; a case review manager has no purview, only their own cases. So a CRM (or a group
    leader without the role) who follows a link here is sent to the case reviews naming them, with a word why,
    rather than left at a 404. Anyone else gets the 404, as for anything outside their scope.
    """
    if Role.CASE_SCRUTINY in scoping.roles_held(request.user):
        return None
    if not selectors.named_on_case_reviews(request.user):
        raise Http404(f"You do not hold the {Role.CASE_SCRUTINY.label.lower()} role.")
    messages.info(
        request,
        "The MOT selection and the overview are for group leaders and managers with case scrutiny over a team. "
        "Here are the case reviews you manage or lead.",
    )
    return redirect("scrutiny_case_list")
