"""Clients for the three kinds of API caller, and a small sourced timeline."""
from __future__ import annotations

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    make_actor,
    make_article,
    make_event,
    make_outlet,
    make_place,
)
from timeline.models import Event


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def editor_api(editor):
    """A client sending an editor's token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


@pytest.fixture
def reader(db, django_user_model):
    """A signed-up user with no editor rights."""
    return django_user_model.objects.create_user("reader", password="reader-pass-123")


@pytest.fixture
def reader_api(reader):
    """A client sending the token of a user without editor rights."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reader).key}")
    return client


@pytest.fixture
def timeline(db):
    """Five published events and one draft, spread over actors, places, outlets and types."""
    kyiv = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52, aliases=["Kiev"])
    kharkiv = make_place("Kharkiv", country="Ukraine", latitude=49.99, longitude=36.23)
    gaza = make_place("Gaza City", country="Palestine", latitude=31.5, longitude=34.47)
    russia = make_actor("Russia", kind="state", aliases=["Russian Federation"])
    ukraine = make_actor("Ukraine", kind="state")
    hamas = make_actor("Hamas", kind="armed_group")
    reuters = make_outlet(name="Reuters", domain="reuters.com")
    ap = make_outlet(name="AP", domain="apnews.com")
    a1 = make_article("Missiles struck Kyiv overnight, officials said.", outlet=reuters,
                      url="https://reuters.com/a1")
    a2 = make_article("A missile strike hit the capital Kyiv on Tuesday.", outlet=ap,
                      url="https://apnews.com/a2")
    a3 = make_article("Shelling in Kharkiv damaged a school.", outlet=ap,
                      url="https://apnews.com/a3")
    a4 = make_article("Talks in Doha resumed with mediators.", outlet=reuters,
                      url="https://reuters.com/a4")
    events = {
        "kyiv_strike": make_event(
            title="Missile strike on Kyiv", date_start=date(2025, 3, 4), place=kyiv,
            actors=[russia, ukraine], evidence_from=[a1, a2], event_type="ASSAULT",
        ),
        "kharkiv_shelling": make_event(
            title="Shelling of Kharkiv school", date_start=date(2025, 3, 10), place=kharkiv,
            actors=[russia], evidence_from=[a3], event_type="ASSAULT",
        ),
        "doha_talks": make_event(
            title="Ceasefire talks in Doha", date_start=date(2025, 4, 1),
            date_end=date(2025, 4, 3), precision="range", actors=[hamas],
            evidence_from=[a4], event_type="CONSULT",
        ),
        "gaza_aid": make_event(
            title="Aid convoy reaches Gaza City", date_start=date(2025, 2, 1),
            date_end=date(2025, 2, 28), precision="month", place=gaza,
            event_type="AID",
        ),
        "sanctions": make_event(
            title="New sanctions package", date_start=date(2025, 5, 20), event_type="SANCTION",
            actors=[ukraine],
        ),
        "draft": make_event(
            title="Unconfirmed drone attack", date_start=date(2025, 3, 5), place=kyiv,
            status=Event.Status.DRAFT, event_type="ASSAULT", actors=[russia],
        ),
    }
    return events


def titles(response) -> list[str]:
    """The event titles of a JSON list response, in order."""
    assert response.status_code == 200, response.content[:500]
    return [row["title"] for row in response.json()["results"]]
