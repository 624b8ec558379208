"""What a typed log-in name refers to: one function, used by the log-in itself and by its throttling.

Throttling counts attempts per account, so it must read a typed e-mail exactly as the log-in does: with case and
surrounding spaces ignored, `SOMEONE@x.example ` is the account `someone@x.example` and shares its count.
"""

import unicodedata


def login_name(typed: str) -> str:
    """The account's e-mail as typed at log-in: Unicode-normalised as Django's username field does (NFKC), stripped
    of surrounding spaces and lower-cased."""
    return unicodedata.normalize("NFKC", typed or "").strip().lower()


def axes_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the name django-axes counts failures and lockouts against."""
    source = credentials or getattr(request, "POST", {})
    typed = source.get("username")
    return login_name(typed if isinstance(typed, str) else "")
