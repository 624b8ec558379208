"""axe-core on the page as the browser shows it: WCAG 2.2 A/AA, no critical or serious violations allowed.

axe.min.js comes bundled in axe-playwright-python (nothing is downloaded). It is injected through Playwright's
evaluate, which runs in the page through the DevTools protocol and so is not subject to the page's Content
Security Policy: the CSP stays as production serves it.
"""

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"critical", "serious"}
# Best-practice rules held to as well, whatever axe's impact: a header with no text leaves a screen reader a
# nameless column (the summary table's note column had one).
ALSO_REQUIRED = {"empty-table-header"}
OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in ALSO_REQUIRED},
    "resultTypes": ["violations"],
}


def blocking_violations(page: Page) -> list[dict]:
    """axe's critical and serious violations (and any of ALSO_REQUIRED) on the page as it stands now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", OPTIONS)
    return [
        violation
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in ALSO_REQUIRED
    ]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail with each critical or serious WCAG 2.2 A/AA violation (and ALSO_REQUIRED's): rule, impact, elements."""
    violations = blocking_violations(page)
    assert not violations, f"Accessibility violations on {page.url}:\n{describe(violations)}"
