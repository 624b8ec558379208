"""The users of `make load`: the demo log-ins on the national demo, each walking the pages of their day.

Most users assess or are assessed; a quarter read reports (a tenth national viewers, whose pages cost the most).
Each role is a small class whose tasks are the pages it opens; `Tour` is the one-user phase: one user taking the
same roles in the same proportions, so its p95 is the yardstick for the 50-user p95.
"""

import random
import re

import requests
from locust import HttpUser, between, task
from locust.clients import HttpSession

from bench.load_roles import ROLE_PAGES, ROLE_USERS, role_class_name

PASSWORD = "demo-password-2026"  # noqa: S105 (the demo log-ins' documented password)
IQA_LINK = re.compile(r'href="/iqas/(\d+)/"')


def log_in(client, email: str) -> None:
    """Log in with a plain session and hand its cookies to the user's client, so log-ins stay out of the figures."""
    with requests.Session() as session:
        url = f"{client.base_url}/accounts/login/"
        session.get(url, timeout=60)
        data = {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        response = session.post(url, data=data, headers={"Referer": url}, timeout=60)
        if "sessionid" not in session.cookies:
            raise RuntimeError(f"load: could not log in as {email} (status {response.status_code})")
        client.cookies.update(session.cookies)


def open_an_iqa(client, list_url: str, name: str) -> None:
    """A list of IQAs, then one of them, as a person clicking through would."""
    response = client.get(list_url, name=f"{name} list")
    ids = IQA_LINK.findall(response.text or "")
    if ids:
        client.get(f"/iqas/{random.choice(ids)}/", name=f"{name} IQA")  # noqa: S311


def last_business_year() -> str:
    from datetime import date

    today = date.today()  # noqa: DTZ011 (the label only; the server judges dates itself)
    start = today.year - (1 if today.month >= 4 else 2)
    return f"{start}-{(start + 1) % 100:02d}"


def open_page(client, email: str) -> None:
    weights, pages = zip(*((weight, (name, path)) for weight, name, path in ROLE_PAGES[email]), strict=True)
    name, path = random.choices(pages, weights=weights)[0]  # noqa: S311
    path = path.replace("{year}", last_business_year())
    if path.startswith("IQA_LIST:"):
        open_an_iqa(client, path.removeprefix("IQA_LIST:"), name)
    else:
        client.get(path, name=name)


class RoleUser(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    email = ""

    def on_start(self):
        log_in(self.client, self.email)

    @task
    def page(self):
        open_page(self.client, self.email)


def _role_class(email: str, count: int) -> type:
    return type(role_class_name(email), (RoleUser,), {"email": email, "fixed_count": count, "__module__": __name__})


globals().update({role_class_name(email): _role_class(email, count) for email, count in ROLE_USERS.items()})


class Tour(HttpUser):
    """One user taking every role in turn, in the 50 users' proportions, for the one-user yardstick."""

    wait_time = between(0.2, 0.5)
    fixed_count = 1

    def on_start(self):
        self.sessions = {}
        for email in ROLE_USERS:
            session = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
            log_in(session, email)
            self.sessions[email] = session

    @task
    def page(self):
        emails, counts = zip(*ROLE_USERS.items(), strict=True)
        email = random.choices(emails, weights=counts)[0]  # noqa: S311
        open_page(self.sessions[email], email)
