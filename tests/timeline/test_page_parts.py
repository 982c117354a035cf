"""The page's pure parts: histogram bins, map view, dates drawn, quotes in their paragraph."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.utils import translation
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from timeline.charts import build_histogram
from timeline.maps import PlaceCount, build_map, topojson_to_svg
from timeline.models import Place
from timeline.templatetags.timeline_tags import (
    INPUT_TEMPLATES,
    InputsInPython,
    day_label,
    esc,
    histogram_bars,
    map_dots,
    month_label,
    paragraph_around,
    quote_span,
    range_strip,
    weekday_label,
    when_html,
)
from timeline.views import (
    ROW_FIELDS,
    Cursor,
    Row,
    _link_adding,
    _page_filter,
    group_by_month_and_day,
)


def href(start: date, end: date) -> str:
    return f"{start}/{end}"


def test_histogram_of_a_month_has_one_bar_per_day():
    counts = {date(2025, 6, 3): 2, date(2025, 6, 5): 4}
    histogram = build_histogram(counts, href, date(2025, 6, 1), date(2025, 6, 30))
    assert histogram.unit == "day" and histogram.width == 30
    assert [(b.start.day, b.count) for b in histogram.bars if b.count] == [(3, 2), (5, 4)]
    tallest = histogram.bars[4]
    assert (tallest.y, tallest.height, tallest.href) == (0.0, 40.0, "2025-06-05/2025-06-05")
    assert histogram.bars[2].height == 20.0
    assert histogram.total == 6


def test_histogram_of_a_year_is_weekly_and_of_ten_years_monthly():
    counts = {date(2024, 1, 1): 1, date(2024, 1, 7): 1, date(2024, 12, 30): 3}
    weekly = build_histogram(counts, href)
    assert weekly.unit == "week"
    assert weekly.bars[0].count == 2  # Monday 1 January to Sunday 7 January
    assert weekly.bars[0].label == "Week of 1 January 2024: 2 events"
    monthly = build_histogram({date(2016, 1, 9): 1, date(2025, 12, 2): 5}, href)
    assert monthly.unit == "month" and monthly.width == 120
    assert monthly.bars[-1].href == "2025-12-01/2025-12-31"


def test_histogram_counts_ranges_started_before_the_filter_in_the_first_bar():
    counts = {date(2025, 5, 28): 1, date(2025, 6, 2): 1}
    histogram = build_histogram(counts, href, date(2025, 6, 1), date(2025, 6, 10))
    assert [b.count for b in histogram.bars[:2]] == [1, 1]


def test_no_events_no_histogram():
    assert build_histogram({}, href) is None


def test_map_fits_the_view_around_the_places():
    view = build_map([
        PlaceCount(1, "Kyiv", "Ukraine", 50.45, 30.52, 9),
        PlaceCount(2, "Odesa", "Ukraine", 46.48, 30.73, 1),
    ], lambda place_id: f"/?place={place_id}")
    x0, y0, width, height = map(float, view.view_box.split())
    for dot in view.dots:
        assert x0 < dot.x < x0 + width and y0 < dot.y < y0 + height
    assert 1.5 <= width / height <= 2
    kyiv, odesa = view.dots
    assert kyiv.href == "/?place=1"
    assert kyiv.r > odesa.r and kyiv.y < odesa.y  # bigger, and further north
    assert (view.events, view.places) == (10, 2)


def test_no_located_place_no_map():
    assert build_map([], str) is None


def test_topojson_becomes_svg_paths_in_longitude_and_minus_latitude():
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[10, 20], [5, 0], [0, 5], [-5, 0], [0, -5]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0]]},
        ]}},
    }
    svg = topojson_to_svg(topology)
    assert '<path d="M10,-20L15,-20L15,-25L10,-25L10,-20Z"/>' in svg
    assert 'viewBox="-180 -90 360 180"' in svg


def test_range_strip_spans_the_months_of_the_range():
    strip = range_strip(date(2025, 6, 29), date(2025, 7, 2))
    assert (strip.days, strip.offset, strip.length) == (61, 28, 4)
    long = range_strip(date(2025, 1, 10), date(2025, 6, 10))
    assert (long.offset, long.length) == (0, long.days)


def test_quote_found_by_its_words_when_offsets_are_stale():
    text = "First paragraph.\nThe port was shelled on Monday. Nobody was hurt."
    assert quote_span(text, 17, 48, "The port was  shelled\non Monday.") == (17, 48)
    assert quote_span(text, 0, 5, "The port was shelled on Monday.") == (17, 48)
    assert quote_span(text, 0, 5, "not in the text") is None


def test_paragraph_context_is_cut_at_words_when_long():
    words = " ".join(f"word{i}" for i in range(200))
    text = f"{words} QUOTE {words}"
    start = text.index("QUOTE")
    before, quote, after = paragraph_around(text, start, start + 5)
    assert quote == "QUOTE"
    assert before.startswith("…word") and before.endswith("word199 ")
    assert after.startswith(" word0") and after.endswith("…")
    assert len(before) < 380 and len(after) < 380


def test_cursor_round_trips_and_rejects_garbage():
    cursor = Cursor(date(2025, 6, 2), 41)
    assert str(cursor) == "2025-06-02.41"
    assert Cursor.parse("2025-06-02.41") == cursor
    assert Cursor.parse("2025-06-02") is None
    assert Cursor.parse("x.1") is None
    assert Cursor.parse(None) is None


def test_grouping_continues_a_day_without_repeating_its_headings():
    events = [SimpleNamespace(date_start=date(2025, 6, 2)), SimpleNamespace(date_start=date(2025, 7, 1))]
    months = group_by_month_and_day(events, previous=date(2025, 6, 2))
    assert [(m.month.month, m.heading) for m in months] == [(6, False), (7, True)]
    assert [(d.day.day, d.heading) for d in months[0].days] == [(2, False)]
    assert [(d.day.day, d.heading) for d in months[1].days] == [(1, True)]


@pytest.mark.parametrize("language", ["en-us", "de", "uk"])
def test_date_labels_are_djangos_date_formats_in_the_active_language(language):
    days = [date(2023, 11, 20) + timedelta(days=n) for n in range(800)] + [date(999, 3, 4)]
    with translation.override(language):
        for day in days:
            assert day_label(day) == format_date(day, "j F Y")
            assert month_label(day) == format_date(day, "F Y")
            assert weekday_label(day) == format_date(day, "l j F Y")


@pytest.mark.parametrize("value", [
    """<a href="x" title='y'>&amp;</a>""", mark_safe("<b>safe</b>"), 42, 2.5, None,
    gettext_lazy("Actors <all>"), SimpleNamespace(),
])
def test_esc_escapes_what_conditional_escape_escapes(value):
    assert esc(value) == conditional_escape(value)


def test_dates_are_drawn_with_their_precision():
    same_month = when_html(date(2025, 6, 3), date(2025, 6, 7), "range")
    assert '<time datetime="2025-06-03">3</time>–<time datetime="2025-06-07">7 June 2025' in same_month
    assert '<span class="when-note">(5 days)</span>' in same_month
    two_months = when_html(date(2025, 6, 29), date(2025, 7, 2), "range")
    assert '<time datetime="2025-06-29">29 June</time>–<time datetime="2025-07-02">2 July 2025' in two_months
    assert 'viewBox="0 0 61 1"' in two_months and 'x="28" width="4"' in two_months
    two_years = when_html(date(2024, 12, 30), date(2025, 1, 2), "range")
    assert ">30 December 2024</time>–<time datetime=\"2025-01-02\">2 January 2025<" in two_years
    assert when_html(date(2025, 5, 1), date(2025, 5, 31), "month") == (
        '<span class="when when-about">about <time datetime="2025-05">May 2025</time></span>'
    )
    assert when_html(date(2025, 1, 1), None, "year") == (
        '<span class="when when-about">about <time datetime="2025">2025</time></span>'
    )
    assert when_html(date(2025, 6, 3), date(2025, 6, 3), "range") == (
        '<span class="when"><time datetime="2025-06-03">3 June 2025</time></span>'
    )


def test_map_dots_and_bars_escape_names_and_links():
    view = build_map([PlaceCount(1, '"><svg onload=alert(1)>', "", 50.4, 30.5, 2)],
                     lambda place_id: f"/?q=a&place={place_id}")
    dots = str(map_dots(view))
    assert "<svg" not in dots
    assert 'aria-label="&quot;&gt;&lt;svg onload=alert(1)&gt;: 2 events"' in dots
    assert 'href="/?q=a&amp;place=1" hx-get="/?q=a&amp;place=1"' in dots
    histogram = build_histogram({date(2025, 6, 3): 1}, lambda start, end: f"/?a=<{start}>&b",
                                date(2025, 6, 1), date(2025, 6, 30))
    bars = str(histogram_bars(histogram))
    assert bars.count("<a ") == 1  # days without events draw no bar
    assert 'href="/?a=&lt;2025-06-03&gt;&amp;b"' in bars
    assert 'aria-label="3 June 2025: 1 event"><title>3 June 2025: 1 event</title>' in bars


def test_links_add_their_values_to_the_filter_as_urlencode_would():
    link = _link_adding(QueryDict("q=x y&place=3&event_type=A&event_type=B"), "place", "date_to")
    for values in [(7, date(2025, 6, 2)), ("Kyiv & Lviv", "ä/ö?+"), ("a.b_c~-", "")]:
        added = urlencode({"place": str(values[0]), "date_to": str(values[1])})
        assert link(*values) == f"/?q=x+y&event_type=A&event_type=B&{added}"


@pytest.mark.parametrize("query", [
    "",
    "q=%3Cb%3E%22x%22&date_from=2025-06-01&min_sources=3&actor=A%27B&event_type=AID",
    "date_from=nope&date_to=2025-13-01&min_sources=x&place=%26",
])
def test_the_filter_forms_inputs_drawn_in_python_are_djangos(rf, query):
    request = rf.get(f"/?{query}")
    request.user = AnonymousUser()
    form = _page_filter(request).form
    form.is_valid()
    fast = {name: str(form[name]) for name in form.fields}
    form.renderer = get_default_renderer()
    assert fast == {name: str(form[name]) for name in form.fields}
    drawn = [name for name, field in form.fields.items() if field.widget.template_name in INPUT_TEMPLATES]
    assert len(drawn) >= 8


@pytest.mark.parametrize("widget", [forms.TextInput, forms.NumberInput, forms.DateInput])
def test_inputs_drawn_in_python_print_values_and_attributes_as_djangos_templates(widget):
    attrs = {"required": True, "disabled": False, "title": '"q" & <r>', "data-safe": mark_safe("<i>"),
             "min": 0, "step": 0.5}
    for value in (None, "", 'a"<b>&', ("a", 1), 7, mark_safe("<s>")):
        django_html = widget(attrs).render("n<", value, {"id": "x"}, renderer=get_default_renderer())
        fast_html = widget(attrs).render("n<", value, {"id": "x"},
                                         renderer=InputsInPython(get_default_renderer()))
        assert fast_html == django_html


@pytest.mark.parametrize("name, country", [("Kyiv", "Ukraine"), ("Gaza", ""), (None, None)])
def test_a_row_names_its_place_as_the_place_does(name, country):
    values = (7, date(2025, 6, 2), None, "day", "T", "ASSAULT", "published", "extracted", True, 2)
    row = Row.of((*values, name, country))
    assert len(values) + 2 == len(ROW_FIELDS)
    assert (row.pk, row.source_count) == (7, 2)
    assert row.place == (None if name is None else str(Place(name=name, country=country)))
