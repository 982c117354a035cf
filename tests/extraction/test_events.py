"""Event mentions: what happened, when, who, and what is not an event."""
from datetime import date

from ingest.extraction.claims import find_claims
from ingest.extraction.events import extract_mentions
from ingest.extraction.lexicon import load_starter_lexicon
from ingest.extraction.types import ArticleInput, PublicationDate

LEX = load_starter_lexicon()
WEDNESDAY = PublicationDate(date(2024, 9, 11), "dateline")


def _dated(text, published=WEDNESDAY):
    _, mentions = extract_mentions(ArticleInput("a.txt", text), LEX, published=published)
    return [m for m in mentions if m.date_start is not None]


def test_weekday_in_a_wednesday_article_dates_the_attack_the_day_before():
    [m] = _dated("The Rapid Support Forces shelled a camp near El Fasher on Tuesday.")
    assert (m.date_start, m.event_type, m.agent, m.place) == (
        date(2024, 9, 10), "ASSAULT", "Rapid Support Forces", "El Fasher")


def test_sunday_in_a_wednesday_article_is_three_days_earlier():
    [m] = _dated("On Sunday, drones struck fuel depots in Port Sudan.")
    assert (m.date_start, m.mode) == (date(2024, 9, 8), "drone")


def test_list_of_nights_is_one_range():
    [m] = _dated("Israel answered Hamas rocket fire on the nights of September 2, 3 and 4.")
    assert (m.date_start, m.date_end, m.precision) == (date(2024, 9, 2), date(2024, 9, 4), "range")


def test_date_in_an_opening_phrase_dates_the_main_clause():
    [m] = _dated("On Monday, Burhan met Egyptian President Abdel Fattah el-Sisi in Cairo.")
    assert (m.date_start, m.event_type, m.place) == (date(2024, 9, 9), "CONSULT", "Cairo")
    assert set(m.actors) == {"Abdel Fattah al-Burhan", "Abdel Fattah el-Sisi"}


def test_phone_call_records_its_mode_and_both_parties():
    [m] = _dated("Erdogan spoke by phone with Zelensky on Tuesday about grain exports.")
    assert (m.mode, set(m.actors)) == ("phone", {"Recep Tayyip Erdogan", "Volodymyr Zelensky"})


def test_attacker_comes_from_a_possessive_and_target_from_on():
    [m] = _dated("Israel's strikes on Lebanon on Monday killed 12 people.")
    assert (m.agent, m.actors) == ("Israel", ("Israel", "Lebanon"))


def test_statement_by_a_known_actor_is_an_accusation():
    [m] = _dated("Hamas accused Israel on Tuesday of targeting hospitals.")
    assert (m.event_type, m.agent, m.actors) == ("ACCUSE", "Hamas", ("Hamas", "Israel"))


def test_media_report_of_a_possible_sanction_is_not_an_event():
    assert _dated("Sources said on Monday that the EU could impose sanctions within weeks.") == []


def test_planned_meeting_after_publication_is_not_an_event():
    assert _dated("The two sides will meet in Geneva on Friday.") == []


def test_plans_and_intentions_are_not_events():
    assert _dated("On Monday the army said it plans to attack the town.") == []


def test_durations_and_years_long_ago_do_not_date_events():
    text = ("The war has raged for more than three years. "
            "Zelensky spoke of the invasion in 2022.")
    assert _dated(text) == []


def test_speaker_continuing_in_the_next_sentence_keeps_the_date():
    text = ("Putin said on Tuesday that Kyiv had become a terrorist regime. "
            "“They do not want peace,” Putin added.")
    mentions = _dated(text)
    assert [(m.date_start, m.speaker) for m in mentions] == [
        (date(2024, 9, 10), "Vladimir Putin"), (date(2024, 9, 10), "Vladimir Putin")]
    assert mentions[1].antecedent == mentions[0].char_start


def test_the_attacks_in_the_next_sentence_continue_the_dated_attack():
    text = ("Drones destroyed two bridges in the Kursk region on Saturday. "
            "According to officials, the attacks left seven dead and more than 100 injured.")
    first, second = _dated(text)
    assert second.date_start == first.date_start == date(2024, 9, 7)
    assert [(c.kind, c.value) for c in second.claims] == [("fatalities", "7"), ("injured", ">100")]


def test_later_call_between_the_lead_parties_continues_the_lead():
    text = ("Putin told Trump on Tuesday that Russia would respond. "
            "Kyiv accused Moscow of stalling. "
            "Trump later announced that he had spoken to Putin on the phone for an hour.")
    lead, call = _dated(text)
    assert call.date_start == lead.date_start == date(2024, 9, 10)
    assert call.mode == "phone"


def test_lead_sentence_of_a_dated_story_reports_the_day_of_publication():
    [m] = _dated("Kenya's president William Ruto met Abiy Ahmed in Addis Ababa.")
    assert (m.date_start, m.rule.startswith("lead")) == (date(2024, 9, 11), True)


def test_lead_rule_needs_a_trusted_publication_date():
    related = PublicationDate(date(2024, 9, 11), "related")
    assert _dated("Kenya's president William Ruto met Abiy Ahmed in Addis Ababa.", related) == []


def test_undated_reference_is_kept_without_a_date():
    _, mentions = extract_mentions(
        ArticleInput("a.txt", "Officials condemned the attacks on the Kakhovka dam."), LEX,
        published=WEDNESDAY)
    [ref] = [m for m in mentions if m.date_start is None]
    assert (ref.event_type, ref.rule) == ("ASSAULT", "reference")
    assert "dam" in ref.cue


def test_claims_read_numbers_next_to_events():
    text = "the operation destroyed or severely damaged 41 aircraft, killing at least 12 people"
    assert [(c.kind, c.value) for c in find_claims(text)] == [
        ("aircraft_destroyed", "41"), ("fatalities", ">=12")]


def test_date_after_a_refused_thing_dates_the_refusal():
    [m] = _dated("Netanyahu rejected a full withdrawal from the corridor on Tuesday.")
    assert (m.event_type, m.agent, m.date_start) == ("REJECT", "Benjamin Netanyahu",
                                                      date(2024, 9, 10))


def test_target_region_is_read_through_its_country():
    [m] = _dated("Later on Monday, Ukrainian drones struck an oil refinery in Russia's "
                 "Ryazan region.")
    assert (m.agent, m.actors, m.place) == ("Ukraine", ("Ukraine", "Russia"), "Ryazan Oblast")


def test_preposition_to_before_an_adjective_is_not_an_infinitive():
    _, mentions = extract_mentions(ArticleInput(
        "a.txt", "Putin told Trump on Tuesday that Russia would react to Ukrainian drone attacks "
                 "on its bomber fleet."), LEX, published=WEDNESDAY)
    assert [m.cue for m in mentions if m.date_start is None] == [
        "Ukrainian drone attacks on its bomber fleet"]


def test_history_recalled_with_a_full_date_is_background():
    assert _dated("On February 24, 2022, Russia launched a full-scale invasion of Ukraine.") == []


def test_sentence_too_long_to_quote_is_quoted_around_its_event():
    filler = ", ".join(["and more troops moved to the front near the river"] * 30)
    text = f"Officials said {filler}, while drones struck Kharkiv on Tuesday, killing four."
    [m] = _dated(text)
    assert len(m.quote) <= 600 and "drones struck Kharkiv on Tuesday" in m.quote
    assert text[m.char_start:m.char_end] == m.quote
