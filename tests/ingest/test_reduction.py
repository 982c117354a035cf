"""HTML and bytes reduced to article text; what is not an article is refused with a reason."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from ingest.errors import BadInput
from ingest.html import reduce_html
from ingest.sources.text import clean_text, content_sha256, decode_bytes
from tests.ingest.conftest import article_html


def test_html_is_reduced_to_the_article_title_and_metadata_date():
    page = reduce_html(article_html("Shelling hits a village"))
    assert page.title == "Shelling hits a village"
    assert page.published == date(2025, 6, 4)
    assert page.text.startswith("KYIV, June 4 - Troops shelled the village of Zarichne")
    assert "Home" not in page.text and "Copyright" not in page.text


def test_malformed_html_still_gives_its_text():
    broken = article_html().replace("</p>", "").replace("</article>", "<div><span>")
    page = reduce_html(broken)
    assert "Zarichne" in page.text


def test_a_page_without_an_article_is_refused():
    menu = "<html><body><nav>" + "<a href='/x'>Link</a> " * 5 + "</nav></body></html>"
    with pytest.raises(BadInput, match="no article text found"):
        reduce_html(menu)


def test_an_empty_file_is_refused():
    with pytest.raises(BadInput, match="^empty$"):
        decode_bytes(b"  \n\t ")


def test_binary_data_is_refused():
    with pytest.raises(BadInput, match="binary data"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_text_that_is_not_utf8_is_refused_with_the_offset():
    with pytest.raises(BadInput, match=r"not valid UTF-8 text \(byte 5 cannot be decoded\)"):
        decode_bytes("Kyiv \xe9t\xe9".encode("latin-1"))


def test_a_declared_charset_is_honoured():
    assert decode_bytes("Caf\xe9 opened".encode("latin-1"), "iso-8859-1") == "Caf\xe9 opened"


def test_text_over_the_size_limit_is_refused(settings):
    settings.FETCH_MAX_BYTES = 100
    with pytest.raises(BadInput, match=r"too large \(101 bytes; the limit is 100\)"):
        decode_bytes(b"a" * 101)


def test_clean_text_unifies_newlines_and_drops_control_characters():
    assert clean_text("a\r\nb\rc\x07d\u00a0e") == "a\nb\ncd\u00a0e"


def test_the_same_text_with_other_spacing_has_the_same_digest():
    assert content_sha256("Troops  shelled\nthe village") == content_sha256("Troops shelled the village ")
    assert content_sha256("Troops shelled") != content_sha256("Troops shelled it")


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_decode_to_text_or_a_readable_refusal(raw):
    try:
        text = decode_bytes(raw)
    except BadInput as exc:
        assert str(exc)
    else:
        assert text.strip()


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<p>", "</p>", "<div>", "<article>", "<h1>", "<script>", "<!--",
                             "<title>", "<meta property='article:published_time' content='x'>",
                             "&amp;", "&#0;", "<![CDATA[", "<html>", "<body>", ">", "<"]),
            st.text(max_size=80),
        ),
        max_size=60,
    )
)
def test_any_markup_reduces_to_an_article_or_a_readable_refusal(parts):
    try:
        page = reduce_html("".join(parts))
    except BadInput as exc:
        assert str(exc)
    else:
        assert len(page.text) >= 1 and isinstance(page.title, str)
