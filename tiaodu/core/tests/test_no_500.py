"""Garbage in query strings and URLs gets an answer, never a server error."""

import pytest
from django.urls import reverse

from tiaodu.conftest import client_for

GARBAGE = [
    {"page": "abc"},
    {"page": "99999"},
    {"page": "-1"},
    {"sort": "nonexistent"},
    {"sort": "-"},
    {"year": "二〇二五"},
    {"year": "99999999999999999999"},
    {"region": "abc"},
    {"region": "99999999"},
    {"stage": "bogus"},
    {"owner": "1; drop table"},
    {"level": "x"},
    {"q": "%_\\'\""},
    {"q": "\x00"},
    {"region": "\x00", "year": "\x00", "sort": "\x00"},
    {"export": "pdf"},
    {"in_statistics": "maybe"},
    {"leader": "x"},
    {"page_size": "100000"},
    {"ordering": "password"},
]
PAGES = [
    "home",
    "projects:project_list",
    "projects:keylist_list",
    "orgs:organisation_list",
    "orgs:official_list",
    "regions:region_list",
]
API = [
    "/api/projects/",
    "/api/regions/",
    "/api/organisations/",
    "/api/officials/",
    "/api/key-lists/",
    "/api/key-list-entries/",
]


@pytest.mark.django_db
def test_garbage_query_strings(world):
    client = client_for(world.admin_a)
    for query in GARBAGE:
        for name in PAGES:
            response = client.get(reverse(name), query)
            assert response.status_code < 500, (name, query)
        for url in API:
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)
            if response.status_code >= 400:
                assert "error" in response.json()


@pytest.mark.django_db
def test_garbage_urls(world):
    client = client_for(world.admin_a)
    for url in [
        "/projects/0/",
        "/projects/99999999999999999999999/",
        "/projects/1/stage/%00/",
        "/key-lists/abc/",
        "/api/projects/abc/",
        "/api/projects/1/transition/",
        "/nonexistent/",
    ]:
        assert client.get(url).status_code in (404, 405), url
