"""Text as typed, without the characters that nothing here can store or export.

C0 control characters (other than tab, newline and the carriage return of a CRLF) cannot be held by PostgreSQL
(NUL) or written into an XLSX file (the rest), and are never meant: they come from pasting out of other systems.
A lone carriage return is a line break from an old system, so it becomes a newline. Lone surrogates (which no UTF-8
can encode) and the two non-characters XML refuses go too.

`ControlCharactersMiddleware` cleans every query string and posted form, so every form, the admin's included, and
every draft (which keeps the post as typed) reads clean text; an uploaded file is cleaned by its importer
(`strip_control_characters` over a CSV's text, `strip_control_characters_from` over what a JSON file held).
"""

import re

from django.http import QueryDict

_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def strip_control_characters(text: str) -> str:
    """The text without control characters other than tab and newline (a CRLF kept, a lone CR made a newline)."""
    return _UNWANTED.sub("", _LONE_CARRIAGE_RETURN.sub("\n", text))


def strip_control_characters_from(data):
    """Every text in data read from JSON (dicts, lists, texts and other scalars), keys included."""
    if isinstance(data, str):
        return strip_control_characters(data)
    if isinstance(data, list):
        return [strip_control_characters_from(item) for item in data]
    if isinstance(data, dict):
        return {strip_control_characters(key): strip_control_characters_from(value) for key, value in data.items()}
    return data


def clean_querydict(data: QueryDict) -> QueryDict:
    """The same keys and values, cleaned (immutable, as Django's own)."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(strip_control_characters(key), [strip_control_characters(value) for value in values])
    cleaned._mutable = False
    return cleaned


class ControlCharactersMiddleware:
    """Cleans request.GET and a posted form's request.POST before any view, form or CSRF failure handler reads them.

    Reading a post here parses it as the CSRF check would a moment later; a body too large or malformed is the same
    400 it would have been there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = clean_querydict(request.GET)
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            request.POST = clean_querydict(request.POST)
        return self.get_response(request)
