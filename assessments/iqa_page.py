"""Sections other apps add to the IQA page. An app above assessments (dip sampling) registers a function in its
AppConfig.ready(), so the IQA page shows its part without assessments importing it (the layers depend one way)."""

from collections.abc import Callable

# Each takes (assessment, answers) and returns the template context of its section.
_sections: list[Callable[..., dict]] = []


def register_section(section: Callable[..., dict]) -> Callable[..., dict]:
    if section not in _sections:
        _sections.append(section)
    return section


def sections_context(assessment, answers) -> dict:
    context = {}
    for section in _sections:
        context.update(section(assessment, answers))
    return context
