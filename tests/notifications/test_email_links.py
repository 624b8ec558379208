"""Every link in an e-mail is made from SITE_URL, so it points at the instance that sent it."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "notifications"


def test_every_e_mail_template_links_through_site_url_only():
    bodies = sorted(TEMPLATES.glob("*/body.*"))
    assert len(bodies) >= 20
    for body in bodies:
        text = body.read_text()
        assert "localhost" not in text and "127.0.0.1" not in text, body
        for href in re.findall(r'href="([^"]*)"', text):
            assert href.startswith("{{ site_url }}"), (body, href)
        # No address written out: every http(s) link starts at the site's address.
        assert not re.search(r"https?://", text), body
