"""Create forms that act once, however often they are posted.

Every form that creates a record carries a one-time token (`{% form_token %}`, beside `{% csrf_token %}`). The post
that creates the record claims the token in the same transaction (`create_once`). A second post of the same token
(a double click, the browser resending, two tabs) gets the record the first one created, never a second one; if it
arrives while the first is still running, its claim waits on the first's (the token is the primary key), so two
concurrent posts also create one record. A post that fails validation claims nothing, so it can be sent again.
IQA recording does the same with its draft row (assessments/services.py: iqa_record).

Claims are kept for CLAIMS_KEPT, far longer than any session (SESSION_IDLE_MINUTES), and then pruned every day
with the expired sessions (organisation/tasks.py): a form older than its session cannot be posted without signing
in again, and what assessments/rescue.py keeps across a log-in is restored into a draft, never re-posted.
"""

import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from organisation.models import FormSubmission

FIELD = "form_token"
CLAIMS_KEPT = timedelta(days=7)
EXPIRED_MESSAGE = "This form had expired, so nothing was saved. Check what is below and send it again."


class FormExpired(Exception):
    """The post carried no token of this user's form: nothing was saved. The message is for the user."""

    def __init__(self):
        super().__init__(EXPIRED_MESSAGE)


def new_token() -> str:
    return str(uuid.uuid4())


def _token(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        raise FormExpired from None


def create_once(request, create):
    """Call `create()` (which returns the record) once per form token. Returns (record, created_now): on a repeated
    post, the record the first post created (None if it has since been deleted). Raises FormExpired when the post
    has no valid token, or one another person's form claimed."""
    token = _token(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, person=request.user)
        except IntegrityError:
            pass  # claimed by a post that has committed (or waited for until it did): read what it made, below
        else:
            record = create()
            claim.record = record
            claim.save(update_fields=["record_type", "record_id"])
            return record, True
    first = FormSubmission.objects.filter(token=token, person=request.user).first()
    if first is None:
        raise FormExpired
    return first.record, False


def prune_claims(*, now=None) -> int:
    """Delete the claims older than CLAIMS_KEPT; returns how many went."""
    cutoff = (now or timezone.now()) - CLAIMS_KEPT
    deleted, _ = FormSubmission.objects.filter(submitted_at__lt=cutoff).delete()
    return deleted
