"""Sentence splitting with exact offsets, and what is not news."""
from ingest.extraction.sentences import news_sentences, split_sentences


def _texts(text):
    return [s.text for s in split_sentences(text)]


def test_offsets_give_back_each_sentence_exactly():
    text = "Mr. Smith went to Washington. He met Dr. Jones there!\nThen he left."
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_abbreviations_do_not_end_sentences():
    text = "Dr. Ahmed told Gen. Hassan that the U.S. military would stay. They disagreed."
    assert _texts(text) == ["Dr. Ahmed told Gen. Hassan that the U.S. military would stay.",
                            "They disagreed."]


def test_country_abbreviation_ends_a_sentence_before_a_sentence_starter():
    assert _texts("Sanctions were imposed by the U.S. The talks stalled.") == [
        "Sanctions were imposed by the U.S.", "The talks stalled."]


def test_quote_with_inner_question_splits_after_closing_quote():
    text = "“What is there to talk about?” he asked. The meeting ended."
    assert _texts(text) == ["“What is there to talk about?” he asked.", "The meeting ended."]


def test_bullet_lines_are_news_and_keep_their_text():
    sents = split_sentences("Background:\n- On May 2, rebels took the town.\n- Talks failed.")
    bullets = [s for s in sents if s.kind == "bullet"]
    assert [s.text for s in bullets] == ["On May 2, rebels took the town.", "Talks failed."]


def test_headline_without_final_punctuation_is_a_heading_not_news():
    text = "Rebels Seize Key Town in Eastern Congo\nM23 fighters entered Goma on Monday."
    kinds = [(s.text, s.kind) for s in split_sentences(text)]
    assert kinds == [("Rebels Seize Key Town in Eastern Congo", "heading"),
                     ("M23 fighters entered Goma on Monday.", "body")]


def test_boilerplate_lines_are_not_news():
    text = ("Troops withdrew on Friday.\nRead also| Ten things to know\nMore posts:\n"
            "Share this article\nReporting by Jane Doe; Editing by John Roe")
    assert [s.text for s in news_sentences(text)] == ["Troops withdrew on Friday."]


def test_dateline_is_not_part_of_the_first_sentence():
    text = "KYIV, June 4 (Reuters) - Drones hit the capital overnight. Two people died."
    assert _texts(text) == ["Drones hit the capital overnight.", "Two people died."]
