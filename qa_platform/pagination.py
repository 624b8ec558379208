"""One page of a list, as every list page shows it (templates/includes/_pagination.html draws the links)."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def page_of(request, items, per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for (?page=N); the first for a missing or bad number, the last past the end."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
