"""Summaries: lead sentences from the best article, in order, never twice."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from digest.model import Cluster, Link
from digest.summarise import lead_sentences, story_date, summarise
from tests.builders import make_article


def test_lead_skips_repeated_headline_and_short_fragments() -> None:
    article = make_article(
        title="Towns sign water-sharing pact",
        sentences=(
            "Towns sign water-sharing pact.",
            "Officials from two towns signed a water-sharing pact on Monday.",
            "It ends a ten-year dispute over the river.",
            "Yes.",
            "Officials from two towns signed a water-sharing pact on Monday.",
            "Farmers in both valleys welcomed the news on Tuesday.",
            "A fourth sentence that should not be needed here.",
        ),
    )
    assert lead_sentences(article) == (
        "Officials from two towns signed a water-sharing pact on Monday.",
        "It ends a ten-year dispute over the river.",
        "Farmers in both valleys welcomed the news on Tuesday.",
    )


def test_long_sentences_stop_the_lead_at_two() -> None:
    long = " ".join(["word"] * 40) + "."
    article = make_article(sentences=(long, long.replace("word", "term"), "A third sentence here."))
    assert len(lead_sentences(article)) == 2


def test_story_takes_lead_headline_and_orders_sources() -> None:
    lead = make_article(id="lead", title="Lead headline", source="Zeta")
    other = make_article(id="b", source="Alpha", event_date=date(2020, 9, 20))
    cluster = Cluster(
        id="s1",
        lead="lead",
        links=(Link("b", "same-event", 0.5), Link("lead", "lead")),
    )
    story = summarise(cluster, {"lead": lead, "b": other}, earlier=("s0",))
    assert story.title == "Lead headline"
    assert [a.id for a in story.articles] == ["lead", "b"]
    assert story.earlier == ("s0",)
    assert story.summary == lead_sentences(lead)


def test_uncertain_lead_date_yields_to_a_certain_member() -> None:
    lead = make_article(id="l", event_date=date(2026, 10, 6), date_uncertain=True)
    other = make_article(id="o", event_date=date(2020, 10, 6))
    assert story_date(lead, (lead, other)) == (date(2020, 10, 6), False)
    assert story_date(lead, (lead,)) == (date(2026, 10, 6), True)


@given(st.lists(st.text(min_size=1, max_size=80), max_size=12))
def test_lead_sentences_come_from_the_article_in_order(sentences: list[str]) -> None:
    article = make_article(sentences=tuple(sentences))
    lead = lead_sentences(article)
    positions = [sentences.index(s) for s in lead]
    assert positions == sorted(positions)
    assert len(lead) <= 3


def test_an_unpunctuated_deck_is_not_run_into_the_lead() -> None:
    article = make_article(
        sentences=(
            "Mayor denies wrongdoing as deputy takes over the town hall",
            "The mayor of Calder Junction resigned on Tuesday after a state inquiry widened.",
            "His deputy was sworn in the same afternoon at city hall.",
        )
    )
    assert lead_sentences(article)[0].startswith("The mayor of Calder Junction")
