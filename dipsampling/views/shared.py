"""What the dip sampling pages share: the role they need, the IQA's related rows and the period asked for."""

from dipsampling.forms import period_or_error
from organisation import scoping
from organisation.models import Role
from qa_platform import periods

IQA_RELATED = ("assessor", "assessed", "team__unit", "case")
DIP_SAMPLE_RELATED = tuple(f"assessment__{name}" for name in IQA_RELATED)


def require_dip_sampler(request) -> None:
    """A 404 for anyone without the dip sampler role, as for anything outside their scope."""
    scoping.require_role(request.user, Role.DIP_SAMPLER)


def period_from(request):
    """The period asked for in ?period=, this quarter by default, with the error if the text names none."""
    text = request.GET.get("period", "").strip()
    if not text:
        return periods.this_quarter(), "", ""
    period, problem = period_or_error(text)
    return (period or periods.this_quarter()), problem, text
