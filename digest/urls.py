"""Article addresses without the tracking parameters that feeds add to links.

The same article reached from a newsletter, a social post and a feed carries
different ``utm_*`` and click-id parameters; removing them lets its address
identify it. Only parameters that never select content are removed.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Parameter names (lower case) added by analytics and ad platforms to count
# clicks: Google Analytics (utm_*), Google/Facebook/Microsoft/Yandex/Twitter
# click ids, Mailchimp, HubSpot, Marketo, Instagram, Twitter embeds, Olytics,
# Vero. None of them changes which page a server returns.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
    }
)
# Every Google Analytics campaign parameter starts so (utm_source, utm_medium...).
TRACKING_PREFIX = "utm_"


def is_tracking_parameter(name: str) -> bool:
    """True for a query parameter name that only counts clicks."""
    key = unquote_plus(name).strip().lower()
    return key.startswith(TRACKING_PREFIX) or key in TRACKING_PARAMETERS


def _is_tracking_pair(pair: str) -> bool:
    """True for a ``name=value`` pair whose name only counts clicks."""
    name, equals, _ = pair.partition("=")
    return bool(equals) and is_tracking_parameter(name)


def _without_tracking(query: str) -> str:
    """A query string with tracking pairs removed, the others kept verbatim.

    Also used on fragments, since some sites put the tracking there
    ("#utm_source=rss") to keep it out of server logs; a plain anchor such as
    "#section-2" has no ``name=value`` pair and is left alone.
    """
    pairs = query.split("&")
    if not any(_is_tracking_pair(pair) for pair in pairs):
        return query
    return "&".join(pair for pair in pairs if pair and not _is_tracking_pair(pair))


def strip_tracking(url: str) -> str:
    """``url`` without tracking parameters; anything unparsable is returned as is."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    query = _without_tracking(parts.query)
    fragment = _without_tracking(parts.fragment)
    if query == parts.query and fragment == parts.fragment:
        return url.strip()
    return urlunsplit(parts._replace(query=query, fragment=fragment))
