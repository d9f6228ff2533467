"""Garbage in the query strings and URLs of the problem and dispatch pages: an answer, never a server error."""

import pytest
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.core.tests.test_no_500 import GARBAGE

pytestmark = pytest.mark.django_db

PAGES = [
    "problems:ledger",
    "problems:inbox",
    "problems:figures",
    "problems:drilldown",
    "problems:desk",
    "problems:categories",
    "problems:problem_add",
    "notices:list",
    "dispatch:meeting_list",
    "dispatch:meeting_add",
    "dispatch:visit_list",
    "dispatch:visit_figures",
    "dispatch:visit_drilldown",
    "dispatch:tour_list",
]
EXTRA = [
    {"measure": "overdue", "group": "department", "key": "99999999999999999999999"},
    {"measure": "found", "group": "region", "key": "-1"},
    {"official": "99999999999999999999"},
    {"start": "2025-12-31", "end": "2025-01-01"},
    {"unread": "1", "page": "0"},
    {"project": "abc"},
    {"project": "99999999999999999999999", "department": "99999999999999999999999"},
    {"category": "99999999999999999999999"},
]
API = ["/api/problems/", "/api/problems/figures/", "/api/meetings/", "/api/site-visits/", "/api/inspection-tours/"]


def test_garbage_query_strings(dispatch_world):
    client = client_for(dispatch_world.admin_a)
    for query in GARBAGE + EXTRA:
        for name in PAGES:
            response = client.get(reverse(name), query)
            assert response.status_code < 500, (name, query)
        for url in API:
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)
            if response.status_code >= 400:
                assert "error" in response.json()


def test_garbage_urls(dispatch_world):
    client = client_for(dispatch_world.admin_a)
    for url in [
        "/problems/0/",
        "/problems/99999999999999999999999/",
        "/problems/99999999999999999999999/assign/",
        "/problems/attachments/99999999999999999999999/",
        "/notices/99999999999999999999999/open/",
        "/meetings/99999999999999999999999/",
        "/meetings/1/items/99999999999999999999999/decisions/",
        "/visits/99999999999999999999999/",
        "/tours/99999999999999999999999/",
        "/reports/99999999999999999999999/to-problems/",
        "/api/problems/abc/",
        "/api/problems/99999999999999999999999/assign/",
        "/api/meetings/abc/proposals/",
    ]:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code in (400, 404, 405), url
