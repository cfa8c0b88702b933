"""The small, fixed digest every renderer's golden files are made from.

Two weekly briefs; between them a story covered by two outlets, one source
without a URL, a story whose date is uncertain, a headline that looks like
HTML, Markdown-special characters and right-to-left text. The tests here pin
that the sample keeps covering those cases, so the goldens keep proving them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from digest.model import Digest, Site
from tests.builders import make_article, make_brief, make_digest, make_story

HOSTILE_HEADLINE = 'Council passes <script>alert("x")</script> budget & "fair" <b>plan</b>'
MARKDOWN_HEADLINE = "# Prices up 5% *again* [update] `v2` _sic_ <br>"
RTL_TITLE = "مجلس المدينة يقر الميزانية"


def sample_digest(base_url: str = "https://news.example.org/") -> Digest:
    """Two briefs, four stories, two outlets on the first story."""
    budget_lead = make_article(
        id="a-budget-1",
        title=HOSTILE_HEADLINE,
        url="https://herald.example.org/2020/10/budget?ref=home&x=1",
        source="The Example Herald",
        published=datetime(2020, 9, 29, 7, 30, tzinfo=UTC),
        event_date=date(2020, 9, 28),
        sentences=(
            "The council approved the budget on Monday by seven votes to two.",
            "Spending on schools rises by 4%, the first increase in six years.",
        ),
    )
    budget_wire = make_article(
        id="a-budget-2",
        title=RTL_TITLE,
        url=None,
        source="Wire Desk",
        published=datetime(2020, 9, 29, 9, 0, tzinfo=UTC),
        event_date=date(2020, 9, 28),
    )
    budget = make_story(
        id="s-budget",
        articles=(budget_lead, budget_wire),
        summary=budget_lead.sentences,
    )
    bridge_article = make_article(
        id="a-bridge",
        title="Old bridge to close for repairs",
        url="https://gazette.example.net/bridge",
        source="Riverside Gazette",
        published=datetime(2020, 10, 1, 16, 0, tzinfo=UTC),
        event_date=None,
        date_uncertain=True,
        sentences=("The old bridge will close for three months of repairs.",),
    )
    bridge = make_story(id="s-bridge", articles=(bridge_article,))
    latest = make_brief(
        id="2020-W40",
        title="Week of 28 September – 4 October 2020",
        start=date(2020, 9, 28),
        end=date(2020, 10, 4),
        stories=(budget, bridge),
        updated=datetime(2020, 10, 1, 16, 0, tzinfo=UTC),
    )
    prices_article = make_article(
        id="a-prices",
        title=MARKDOWN_HEADLINE,
        url="https://market.example.com/prices_(update)",
        source="Market *Watch*",
        published=datetime(2020, 9, 24, 12, 0, tzinfo=UTC),
        event_date=date(2020, 9, 24),
        sentences=(
            "Prices rose 5% *again* in September, the statistics office said.",
            "1. Food led the rise; <em>energy</em> fell.",
        ),
    )
    earlier = make_brief(
        stories=(make_story(id="s-water"), make_story(id="s-prices", articles=(prices_article,))),
        updated=datetime(2020, 9, 24, 12, 0, tzinfo=UTC),
    )
    digest = make_digest(briefs=(earlier, latest))
    return replace(
        digest,
        site=Site(
            title="Riverside digest",
            base_url=base_url,
            id_domain="news.example.org",
            author="Riverside newsroom",
            language="en",
            timezone="Europe/London",
        ),
    )


def test_sample_holds_every_case_the_goldens_prove() -> None:
    digest = sample_digest()
    stories = [s for b in digest.briefs for s in b.stories]
    articles = [a for s in stories for a in s.articles]
    assert len(digest.briefs) == 2
    assert any(s.date_uncertain for s in stories)
    assert any(a.url is None for a in articles)
    assert any(len(s.outlets) > 1 for s in stories)
    assert any("<script>" in s.title for s in stories)
    assert any("*" in s.title and "[" in s.title for s in stories)
    assert any(a.title == RTL_TITLE for a in articles)


def test_sample_briefs_are_not_given_newest_first() -> None:
    """Renderers must sort themselves: the sample lists the older brief first."""
    briefs = sample_digest().briefs
    assert briefs[0].start < briefs[1].start
