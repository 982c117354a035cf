"""schemathesis against the live schema of a real server: no 5xx, every response conforms.

The server is pytest-django's live_server (a threaded WSGI server on 127.0.0.1 serving the
test database); requests go over real HTTP.
"""
from __future__ import annotations

import time
import traceback
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_started
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import make_actor, make_article, make_event, make_outlet, make_place
from timeline.models import Event, Tombstone
from timeline.roles import ensure_editors_group

# Several minutes on a busy two-CPU machine: longer than the suite's default timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]

# Not checked: "a request the schema allows is accepted". A cursor is opaque (any string
# fits its schema, few are real positions) and strings may hold NUL, which Postgres cannot
# store: both are rightly 400s. Every other check runs, including that invalid input is
# rejected with a 4xx, and that nothing is a 5xx.

# Valid requests (the issue asks for at least 200 per operation), then invalid ones, which
# must all be refused with a 4xx.
MODES = [(GenerationMode.POSITIVE, 200), (GenerationMode.NEGATIVE, 50)]


def seed() -> None:
    """A little of everything, so ids the schema suggests sometimes exist."""
    outlet = make_outlet(name="Reuters", domain="reuters.com")
    place = make_place("Kyiv", country="Ukraine", latitude=50.45, longitude=30.52)
    actor = make_actor("Russia", kind="state")
    for n in range(1, 6):
        article = make_article(f"Report {n}: missiles hit Kyiv on Monday.", outlet=outlet,
                               url=f"https://reuters.com/{n}")
        make_event(title=f"Strike {n}", date_start=date(2025, 3, n), place=place,
                   actors=[actor], evidence_from=[article])
    make_event(title="Draft", status=Event.Status.DRAFT)
    Tombstone.objects.create(event_id=999, reason="deleted")


@pytest.fixture
def editor_token(transactional_db, django_user_model) -> str:
    editor = django_user_model.objects.create_user("schemathesis-editor", is_staff=True)
    editor.groups.add(ensure_editors_group())
    return Token.objects.create(user=editor).key


def exercise(operation, mode: GenerationMode, examples: int, headers: dict) -> int:
    """Up to `examples` generated requests to one operation, each response checked;
    returns how many requests the server received (it runs in this process)."""
    received = []

    def count(**kwargs) -> None:
        received.append(1)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    request_started.connect(count)
    try:
        run()
    finally:
        request_started.disconnect(count)
    return len(received)


def test_every_operation_conforms_to_the_live_schema(live_server, editor_token):
    seed()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures, timings = [], []
    for operation in operations:
        key = (operation.method.upper(), operation.path)
        # As an editor, so writes are really made (an article sent to ingest is queued on
        # the tests' own queue, which no worker reads: see CELERY_QUEUE in pyproject).
        headers = {"Authorization": f"Token {editor_token}"}
        started = time.perf_counter()
        for mode, examples in MODES:
            try:
                sent = exercise(operation, mode, examples, headers)
                if mode is GenerationMode.POSITIVE and sent < examples:
                    failures.append(f"{key[0]} {key[1]}: only {sent} requests")
            except KeyboardInterrupt:
                raise
            except BaseException as failure:  # noqa: BLE001 - gathered, reported together
                text = "".join(traceback.format_exception(failure))
                failures.append(f"{key[0]} {key[1]} ({mode.value}):\n{text[-5000:]}")
        timings.append(f"{time.perf_counter() - started:6.1f} s  {key[0]} {key[1]}")
    print("\n".join(timings))
    assert not failures, "\n\n".join(failures)
