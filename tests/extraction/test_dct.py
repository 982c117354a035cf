"""Publication dates: metadata, datelines, weekdays, reposts, related articles."""
from datetime import date

from ingest.extraction.dct import infer_from_related, publication_date, similarity
from ingest.extraction.types import ArticleInput, PublicationDate

TODAY = date(2026, 11, 22)


def test_metadata_date_publish_is_the_publication_date():
    pd = publication_date("Troops moved on Monday.", {"date_publish": "2024-03-05 10:00:00"},
                          today=TODAY)
    assert (pd.date, pd.basis) == (date(2024, 3, 5), "metadata")


def test_wire_dateline_without_year_takes_the_year_before_today():
    text = "GOMA, Jan 28 (Reuters) - M23 rebels entered the city on Monday."
    pd = publication_date(text, {}, today=date(2025, 2, 3))
    assert (pd.date, pd.basis) == (date(2025, 1, 28), "dateline")


def test_dateline_in_december_read_in_january_is_last_year():
    text = "KYIV, Dec 30 (Reuters) - Drones hit the capital overnight."
    assert publication_date(text, {}, today=date(2026, 1, 2)).date == date(2025, 12, 30)


def test_iso_date_line_at_the_head_is_a_dateline():
    pd = publication_date(" date 2025-06-04 The president spoke to reporters.", {}, today=TODAY)
    assert (pd.date, pd.basis) == (date(2025, 6, 4), "dateline")


def test_published_line_gives_the_date():
    text = "Clashes on the border\nPublished: 14 May 2025\n\nTroops fired on Tuesday."
    assert publication_date(text, {}, today=TODAY).date == date(2025, 5, 14)


def test_weekday_with_day_and_month_fixes_the_most_recent_matching_year():
    text = "On Wednesday, the 4th of June, the two leaders spoke."
    pd = publication_date(text, {}, today=TODAY)
    assert (pd.date, pd.basis) == (date(2025, 6, 4), "weekday")


def test_weekday_month_day_form_before_today_in_an_older_year():
    # 12 October is a Thursday in 2023 and not in 2024, 2025 or 2026
    pd = publication_date("Speaking on Thursday, October 12, the minister said.", {},
                          today=date(2026, 5, 1))
    assert pd.date == date(2023, 10, 12)


def test_repost_metadata_loses_to_the_weekday_date_in_the_text():
    text = "On Wednesday, June 4, the president called his counterpart."
    pd = publication_date(text, {"date_publish": "2025-09-10"}, today=TODAY)
    assert (pd.date, pd.basis) == (date(2025, 6, 4), "weekday")
    assert "metadata 2025-09-10 disagrees" in pd.evidence


def test_stale_metadata_long_after_every_day_the_story_names_is_not_trusted():
    text = "Strikes hit the port on May 31. On Sunday more drones came."
    pd = publication_date(text, {"date_publish": "2025-09-10"}, today=TODAY)
    assert (pd.date, pd.basis) == (date(2025, 5, 31), "text")


def test_metadata_that_agrees_with_the_text_stays_metadata():
    text = "On Wednesday, June 4, the president called his counterpart."
    pd = publication_date(text, {"date_publish": "2025-06-05T08:00:00Z"}, today=TODAY)
    assert (pd.date, pd.basis) == (date(2025, 6, 5), "metadata")


def test_article_with_no_date_anywhere_is_unknown():
    pd = publication_date("The talks went on without result.", {}, today=TODAY)
    assert (pd.date, pd.basis) == (None, "unknown")


def test_undated_article_takes_the_date_of_a_clearly_similar_dated_one():
    dated = ArticleInput("a", "Rebels shelled the camp near El Fasher killing forty displaced "
                              "people as the army chief met the Egyptian president in Cairo",
                         published=PublicationDate(date(2024, 9, 11), "dateline"))
    other = ArticleInput("b", "Parliament debated the budget and pensions for teachers today",
                         published=PublicationDate(date(2024, 1, 2), "metadata"))
    undated = ArticleInput("c", "Rebels shelled a camp near El Fasher, killing forty displaced "
                                "people, a day after the army chief met the Egyptian president")
    pd = infer_from_related(undated, [dated, other])
    assert (pd.date, pd.basis) == (date(2024, 9, 11), "related")


def test_undated_article_like_nothing_in_the_batch_stays_undated():
    other = ArticleInput("b", "Parliament debated the budget and pensions for teachers today",
                         published=PublicationDate(date(2024, 1, 2), "metadata"))
    undated = ArticleInput("c", "Rebels shelled a camp near El Fasher, killing forty people")
    assert infer_from_related(undated, [other]) is None


def test_similarity_is_the_jaccard_overlap_of_the_words():
    a, b = frozenset({"drone", "strike", "port"}), frozenset({"drone", "port", "ferry", "fire"})
    assert similarity(a, b) == len(a & b) / len(a | b) == 2 / 5
    assert similarity(a, a) == 1.0
    assert similarity(a, frozenset()) == similarity(frozenset(), frozenset()) == 0.0
