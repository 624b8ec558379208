"""Who the load test's users are and which pages each opens: plain data, so bench/load.py reads it without importing
Locust (whose gevent patching must come before anything else imports ssl)."""

import re

# The pages of each role's day: (weight, name, path). The reporting pages ask for the last business year.
ROLE_PAGES = {
    "assessor@demo.example": [
        (3, "home@assessor", "/"),
        (3, "iqas@assessor", "IQA_LIST:/iqas/"),
        (1, "plans@assessor", "/iqas/plans/"),
    ],
    "prosecutor@demo.example": [
        (3, "home@assessed", "/"),
        (3, "iqas@assessed", "IQA_LIST:/iqas/of-my-work/"),
    ],
    "dip.sampler@demo.example": [
        (2, "home@dip sampler", "/"),
        (2, "queue@dip sampler", "/dip-samples/"),
        (1, "rates@dip sampler", "/dip-samples/rates/"),
    ],
    "performance@demo.example": [
        (2, "dashboard@area", "/reports/?period={year}"),
        (1, "compare@area", "/reports/compare/?period={year}&dimension=activity"),
        (1, "consistency@area", "/reports/consistency/?period={year}"),
    ],
    "national@demo.example": [
        (2, "dashboard@national", "/reports/?period={year}"),
        (1, "dashboard quarter@national", "/reports/?period={year} Q3"),
        (1, "compare@national", "/reports/compare/?period={year}&dimension=activity"),
        (1, "consistency@national", "/reports/consistency/?period={year}"),
    ],
    "comments@demo.example": [
        (1, "comments@area", "/reports/comments/?period={year}"),
    ],
}
# How many of the 50 users hold each role: 34 assess or are assessed, 4 dip-sample, 12 (a quarter) read reports.
ROLE_USERS = {
    "assessor@demo.example": 17,
    "prosecutor@demo.example": 17,
    "dip.sampler@demo.example": 4,
    "performance@demo.example": 5,
    "national@demo.example": 5,
    "comments@demo.example": 2,
}


def role_class_name(email: str) -> str:
    """The Locust user class of a role's log-in: dip.sampler@demo.example → DipSamplerUser."""
    return "".join(part.title() for part in re.split(r"[.@]", email.split("@")[0])) + "User"
