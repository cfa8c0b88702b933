"""The config file: what a good digest.toml becomes, and one clear line for a bad one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import (
    EMAIL_KEYS,
    OUTPUT_KEYS,
    SITE_KEYS,
    SOURCE_KEYS,
    STATE_KEYS,
    Config,
    ConfigError,
    EmailConfig,
    SourceConfig,
    load_config,
    parse_config,
    smtp_credentials,
    starter_config,
    write_starter,
)
from digest.model import Site

CASES = Path(__file__).resolve().parent / "cases" / "config"
MINIMAL = '[site]\ntitle = "Harbour news"\nid_domain = "example.org"\n'

FULL_EXAMPLE = """\
[site]
title = "My news digest"
base_url = "https://news.example.org/"     # optional
id_domain = "example.org"                  # domain you own; mints permanent ids
author = "Jane Reader"
language = "en"
timezone = "Europe/London"
period = "week"                            # or "day"

[output]
folder = "output"

[email]                                    # optional
from = "Digest <digest@example.org>"
to = ["me@example.org"]
smtp_host = "smtp.example.org"
smtp_port = 587
security = "starttls"                      # or "tls" or "none"
unsubscribe = "mailto:unsubscribe@example.org"   # optional URL or mailto

[[sources]]
name = "Harbour Courier"
url = "https://harbourcourier.example/feed.xml"    # or path = "articles/" for local files
kind = "feed"
full_text = false
tags = ["local", "transport"]

[[sources]]
name = "Scraped pages"
path = "articles/"
"""


def write(folder: Path, text: str) -> Path:
    """A config file in ``folder``."""
    path = folder / "digest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_example_loads_into_typed_records(tmp_path: Path) -> None:
    path = write(tmp_path, FULL_EXAMPLE)

    assert load_config(path) == Config(
        site=Site(
            title="My news digest",
            base_url="https://news.example.org/",
            id_domain="example.org",
            author="Jane Reader",
            language="en",
            timezone="Europe/London",
            period="week",
        ),
        output=tmp_path / "output",
        sources=(
            SourceConfig(
                name="Harbour Courier",
                url="https://harbourcourier.example/feed.xml",
                path=None,
                kind="feed",
                full_text=False,
                tags=("local", "transport"),
            ),
            SourceConfig(name="Scraped pages", url=None, path=tmp_path / "articles"),
        ),
        email=EmailConfig(
            sender="Digest <digest@example.org>",
            to=("me@example.org",),
            smtp_host="smtp.example.org",
            smtp_port=587,
            security="starttls",
            unsubscribe="mailto:unsubscribe@example.org",
        ),
        path=path,
        db_path=tmp_path / "digest.db",
    )


def test_a_minimal_config_takes_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))

    assert config.site == Site(title="Harbour news", id_domain="example.org")
    assert config.sources == ()
    assert config.email is None
    assert config.output == tmp_path / "output"
    assert config.db_path == tmp_path / "digest.db"


@pytest.mark.parametrize("case", sorted(CASES.glob("*.input")), ids=lambda p: p.stem)
def test_a_bad_config_is_one_line_naming_file_table_and_key(case: Path) -> None:
    expected = case.with_suffix(".expected").read_text(encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        parse_config(case.read_text(encoding="utf-8"), Path("digest.toml"))

    assert f"{caught.value}\nhint: {caught.value.hint}\n" == expected


def test_relative_paths_are_read_from_the_config_folder_not_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "digest-home"
    folder.mkdir()
    write(
        folder,
        MINIMAL + '[output]\nfolder = "../public"\n[state]\ndatabase = "state/run.db"\n'
        '[[sources]]\nname = "Local"\npath = "articles"\n'
        f'[[sources]]\nname = "Elsewhere"\npath = "{tmp_path / "shared"}"\n',
    )
    monkeypatch.chdir(tmp_path)

    config = load_config(Path("digest-home/digest.toml"))

    assert config.path == folder / "digest.toml"
    assert config.output == folder / "../public"
    assert config.db_path == folder / "state" / "run.db"
    assert [s.path for s in config.sources] == [folder / "articles", tmp_path / "shared"]


def test_a_home_relative_path_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = parse_config(
        MINIMAL + '[[sources]]\nname = "Mine"\npath = "~/news"\n', tmp_path / "digest.toml"
    )

    assert config.sources[0].path == tmp_path / "home" / "news"


def test_values_are_normalised(tmp_path: Path) -> None:
    config = parse_config(
        '[site]\ntitle = "  Harbour news "\nbase_url = "https://news.example.org/digest"\n'
        'id_domain = "Bücher.Example."\n',
        tmp_path / "digest.toml",
    )

    assert config.site.title == "Harbour news"
    assert config.site.base_url == "https://news.example.org/digest/"
    assert config.site.id_domain == "xn--bcher-kva.example"


def test_email_defaults_follow_the_security_mode(tmp_path: Path) -> None:
    config = parse_config(
        MINIMAL + '[email]\nfrom = "digest@example.org"\nto = "me@example.org"\nsecurity = "tls"\n',
        tmp_path / "digest.toml",
    )

    assert config.email == EmailConfig(
        sender="digest@example.org",
        to=("me@example.org",),
        smtp_host="localhost",
        smtp_port=465,
        security="tls",
    )


def test_the_same_path_twice_is_refused_even_when_written_differently(tmp_path: Path) -> None:
    text = MINIMAL + (
        '[[sources]]\nname = "One"\npath = "articles"\n'
        f'[[sources]]\nname = "Two"\npath = "{tmp_path / "articles"}"\n'
    )

    with pytest.raises(ConfigError, match=r"#2 path: .* is already the path of \[\[sources\]\] #1"):
        parse_config(text, tmp_path / "digest.toml")


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "digest.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())

    assert load_config(path).site.title == "Harbour news"


def test_a_missing_file_points_at_digest_init(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "digest.toml")

    assert str(caught.value) == f"{tmp_path / 'digest.toml'}: no such config file"
    assert "digest init" in caught.value.hint


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "digest.toml"
    path.write_bytes(MINIMAL.replace("Harbour", "H\xe4rbour").encode("latin-1"))

    with pytest.raises(ConfigError, match=r"not UTF-8 text \(line 2\)$"):
        load_config(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_loads_or_raises_config_error(text: str) -> None:
    try:
        parse_config(text, Path("digest.toml"))
    except ConfigError as error:
        assert str(error).startswith("digest.toml")


# Values that are right for some key, so that generated configs often get past the first key.
PLAUSIBLE = st.sampled_from(
    [
        "Harbour news",
        "example.org",
        "https://news.example.org/",
        "Europe/London",
        "en-GB",
        "day",
        "feed",
        "articles/",
        "me@example.org",
        "tls",
        "mailto:stop@example.org",
        "",
    ]
)
TOML_VALUES = st.one_of(
    PLAUSIBLE,
    PLAUSIBLE,
    st.lists(PLAUSIBLE, max_size=3),
    st.text(max_size=30),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=10), max_size=3),
)


VALID_SITE = {"title": "Harbour news", "id_domain": "example.org"}
VALID_SOURCE = {"name": "Courier", "url": "https://courier.example/feed"}
VALID_EMAIL = {"from": "digest@example.org", "to": ["me@example.org"]}


@settings(max_examples=300, deadline=None)
@given(
    site=st.dictionaries(st.sampled_from(SITE_KEYS), TOML_VALUES, max_size=3),
    source=st.dictionaries(st.sampled_from(SOURCE_KEYS), TOML_VALUES, max_size=3),
    email=st.dictionaries(st.sampled_from(EMAIL_KEYS), TOML_VALUES, max_size=3),
)
def test_any_values_under_known_keys_load_or_raise_config_error(
    site: dict[str, object], source: dict[str, object], email: dict[str, object]
) -> None:
    tables = (
        ("[site]", VALID_SITE | site),
        ("[email]", VALID_EMAIL | email),
        ("[[sources]]", VALID_SOURCE | source),
    )
    text = "\n".join(
        line
        for header, values in tables
        for line in (header, *(f"{k} = {_toml(v)}" for k, v in values.items()))
    )
    try:
        config = parse_config(text, Path("/srv/digest/digest.toml"))
    except ConfigError as error:
        assert str(error).startswith("/srv/digest/digest.toml: [")
        return
    assert config.site.id_domain
    assert all((s.url is None) != (s.path is None) for s in config.sources)


def _toml(value: object) -> str:
    """A Python value as TOML, for the property tests."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(f"\\U{ord(c):08x}" for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)


# --- credentials -----------------------------------------------------------------------


def test_smtp_credentials_come_from_the_environment_only() -> None:
    assert smtp_credentials({}) is None
    assert smtp_credentials({"DIGEST_SMTP_USER": "me", "DIGEST_SMTP_PASSWORD": "pw"}) == (
        "me",
        "pw",
    )
    with pytest.raises(ConfigError, match="DIGEST_SMTP_PASSWORD is not set"):
        smtp_credentials({"DIGEST_SMTP_USER": "me"})


# --- the starter config ----------------------------------------------------------------


def test_init_writes_a_config_that_loads_and_its_articles_folder(tmp_path: Path) -> None:
    written = write_starter(tmp_path / "news")

    assert written == (tmp_path / "news" / "digest.toml", tmp_path / "news" / "articles")
    config = load_config(written[0])
    assert [(s.name, s.path) for s in config.sources] == [("My articles", written[1])]
    assert written[1].is_dir()


def test_init_never_overwrites_an_existing_config(tmp_path: Path) -> None:
    path = write(tmp_path, "# mine\n" + MINIMAL)

    with pytest.raises(ConfigError, match="already exists") as caught:
        write_starter(tmp_path)

    assert "move it aside" in caught.value.hint
    assert path.read_text() == "# mine\n" + MINIMAL


def test_the_commented_examples_in_the_starter_work_when_uncommented(tmp_path: Path) -> None:
    # "# key = value" and "# [table]" lines are examples; other comments are prose.
    uncommented = re.sub(r"(?m)^# (?=\[|[a-z_]+ = )", "", starter_config())

    config = parse_config(uncommented, tmp_path / "digest.toml")

    assert config.site.base_url == "https://news.example.org/"
    assert config.email is not None and config.email.unsubscribe
    assert [s.kind for s in config.sources] == ["auto", "feed"]


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        ("site", SITE_KEYS),
        ("output", OUTPUT_KEYS),
        ("state", STATE_KEYS),
        ("email", EMAIL_KEYS),
        ("sources", SOURCE_KEYS),
    ],
)
def test_the_starter_documents_every_key(table: str, keys: tuple[str, ...]) -> None:
    text = starter_config()

    assert f"[{table}]" in text
    missing = [key for key in keys if not re.search(rf"(?m)^(# )?{key} = ", text)]
    assert missing == []
