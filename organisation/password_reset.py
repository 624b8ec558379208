"""Password-reset e-mails go through the outbox, like every other e-mail.

Django's own form sends the e-mail inside the request, and only for an address with an account, so how long the
answer took told whether an address has one. Here the request only writes an outbox row, and for an unknown
address writes one and rolls it back: the same statements either way, and no SMTP in the request.

The reset link is made when the message is sent (`link_context`), never stored in the row: it is a credential, and
one made at sending (or by the admin's "Send again") works for PASSWORD_RESET_TIMEOUT from then.
"""

from uuid import uuid4

from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications import outbox

TEMPLATE = "password_reset"
CONDITION = "organisation.password_reset.still_wanted"


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, **kwargs):
        """Queue the e-mail rather than send it (Django's form sends it here, for known addresses only)."""
        email = self.cleaned_data["email"]
        reset_emails_queue(email=email, people=list(self.get_users(email)))


def reset_emails_queue(*, email: str, people: list) -> int:
    """Queue a reset e-mail to each of `people` (the active accounts with this address), at most one a minute each,
    so repeated requests do not flood a mailbox. Returns how many were queued."""
    minute = timezone.now().strftime("%Y%m%dT%H%M")
    queued = 0
    with transaction.atomic():
        for person in people or [None]:
            queued += outbox.enqueue(
                dedupe_key=f"password-reset:{person.pk}:{minute}" if person else f"password-reset:none:{uuid4().hex}",
                recipient=person.email if person else email,
                person=person,
                template=TEMPLATE,
                condition=CONDITION,
            )
        if not people:
            # No account: the same work as for one, then none of it kept.
            transaction.set_rollback(True)
            return 0
    return queued


def still_wanted(message) -> bool:
    """Outbox condition: the account still exists, is active, may log in by password and has this address."""
    person = message.person
    return bool(
        person is not None
        and person.is_active
        and person.has_usable_password()
        and person.email.lower() == message.recipient.lower()
    )


def link_context(message) -> dict:
    """Outbox send-time context: the reset link, made now."""
    person = message.person
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(person)}
    )
    return {"full_name": person.full_name, "email": person.email, "reset_path": path}
