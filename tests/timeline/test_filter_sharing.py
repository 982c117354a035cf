"""EventFilter shares its form class and copies its filters cheaply: nothing a request
changes reaches another request's filter set or form."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory

from timeline.filters import EventFilter
from timeline.models import Event
from timeline.views import PAGE_FORM_RENDERER, _page_filter


def _request(query: str, user=None):
    request = RequestFactory().get(f"/?{query}")
    request.user = user or AnonymousUser()
    return request


def _api_filter(query: str, user=None) -> EventFilter:
    request = _request(query, user)
    return EventFilter(request.GET, queryset=Event.objects.all(), request=request)


def test_each_filter_set_has_filters_of_its_own_bound_to_it():
    first, second = _api_filter("q=a"), _api_filter("q=b")
    for name, base in EventFilter.base_filters.items():
        mine, theirs = first.filters[name], second.filters[name]
        assert mine is not theirs and mine is not base
        assert mine.parent is first and theirs.parent is second
        assert not hasattr(base, "parent")
    # `method=` filters call their own filter set's method.
    assert first.filters["q"].filter.method.__self__ is first
    assert second.filters["q"].filter.method.__self__ is second
    assert EventFilter.base_filters["q"].filter.f is EventFilter.base_filters["q"]


def test_the_page_forms_changes_do_not_reach_the_apis_form():
    before = _api_filter("").form
    page = _page_filter(_request("q=x")).form
    after = _api_filter("").form
    assert "updated_since" not in page.fields and "status" not in page.fields
    assert page.fields["q"].widget.input_type == "search"
    assert page.fields["min_sources"].widget.attrs == {
        "min": 0, "max": 100000, "step": 1, "inputmode": "numeric"
    }
    assert page.renderer is PAGE_FORM_RENDERER
    for api in (before, after):
        assert {"updated_since", "status"} <= set(api.fields)
        assert api.fields["q"].widget.input_type == "text"
        assert api.fields["min_sources"].widget.attrs == {"min": 0, "max": 100000, "step": "any"}
        assert api.renderer is not PAGE_FORM_RENDERER
    assert set(api.fields) == set(EventFilter.base_filters)


def test_editors_and_readers_page_forms_differ_whichever_comes_first(editor):
    for users in ([editor, AnonymousUser()], [AnonymousUser(), editor]):
        forms = [_page_filter(_request("", user)).form for user in users]
        assert ["status" in form.fields for form in forms] == [user == editor for user in users]


def test_one_requests_errors_and_values_do_not_appear_in_the_next():
    bad = _api_filter("date_from=nope&min_sources=x&event_type=NOPE")
    assert not bad.is_valid()
    assert set(bad.errors) == {"date_from", "min_sources", "event_type"}
    good = _api_filter("date_from=2020-01-01")
    assert good.is_valid() and not good.errors
    assert good.form.cleaned_data["min_sources"] is None
    assert good.form.fields["date_from"] is not bad.form.fields["date_from"]
    bad_page = _page_filter(_request("date_to=nope"))
    assert not bad_page.is_valid()
    good_page = _page_filter(_request("date_to=2020-01-01"))
    assert good_page.is_valid() and not good_page.errors
    assert str(good_page.form["date_to"]).count('value="2020-01-01"') == 1
