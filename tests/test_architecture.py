"""The codebase keeps its shape (README, Architecture): the layers themselves are checked by `lint-imports` in
`make lint`; these check what import-linter cannot."""

import ast
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["qa_platform", "notifications", "organisation", "assessments", "dipsampling", "scrutiny", "reporting", "home"]
PROJECT_PACKAGES = {*APPS, "demo", "ops"}
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 30
# A module may run longer if its docstring says why, on a line of its own starting with this.
LONG_MODULE_REASON = "Over 400 lines"


def _modules(packages, *, migrations: bool):
    for package in packages:
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if ("migrations" in path.parts) == migrations:
                yield path


def _name(path):
    return str(path.relative_to(BASE_DIR))


def _imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


@pytest.mark.parametrize("path", list(_modules(PROJECT_PACKAGES, migrations=True)), ids=_name)
def test_no_migration_imports_app_code(path):
    """A migration must do tomorrow what it did today, whatever the app's code has become since."""
    tree = ast.parse(path.read_text())
    app_code = [
        name
        for name in _imported(tree)
        if name.split(".")[0] in PROJECT_PACKAGES
        # A frozen copy kept beside the migrations (as reporting/migrations/_fact_sql_0005.py) is not app code.
        and ".migrations." not in name
        # Django's own references to a model's manager class in an initial migration (`import organisation.models`).
        and not (path.name.startswith("0001_") and name.endswith(".models"))
    ]
    assert not app_code, f"{path.relative_to(BASE_DIR)} imports {app_code}: inline what it needs"


@pytest.mark.parametrize("path", list(_modules([*PROJECT_PACKAGES, "bench", "devserver"], migrations=False)), ids=_name)
def test_no_module_is_longer_than_400_lines_without_saying_why(path):
    text = path.read_text()
    lines = text.count("\n")
    docstring = ast.get_docstring(ast.parse(text)) or ""
    reason = any(line.startswith(LONG_MODULE_REASON) for line in docstring.splitlines())
    assert lines <= MAX_MODULE_LINES or reason, f"{path.relative_to(BASE_DIR)} has {lines} lines"


def _views(path):
    """Module-level functions taking the request first: the views (and their small helpers, which are shorter)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "request":
            yield node


VIEW_MODULES = [path for path in _modules(APPS, migrations=False) if "views" in path.parts or "views" in path.stem]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_name)
def test_every_view_reads_at_a_glance(path):
    long_views = {}
    for view in _views(path):
        first = view.body[1] if ast.get_docstring(view) and len(view.body) > 1 else view.body[0]
        length = view.end_lineno - first.lineno + 1
        if length > MAX_VIEW_LINES:
            long_views[view.name] = length
    assert not long_views, f"{path.relative_to(BASE_DIR)}: views over {MAX_VIEW_LINES} lines of body: {long_views}"
