"""Create forms carry a one-time token (organisation/once.py); tests post one as the page would."""

from uuid import uuid4


def with_token(data=None, token=None) -> dict:
    return {**(data or {}), "form_token": token or str(uuid4())}
