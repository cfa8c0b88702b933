"""The site in a real browser: headless Chromium, driven by Playwright.

One browser serves the whole module. The rendered site is served from a
loopback HTTP server under ``/news/`` (a base path the pages never name) and
also opened from disk, and every page is checked for:

- links: a crawl from ``index.html`` reaches every page, and every internal
  link and anchor resolves;
- accessibility: zero violations from axe-core, in the light and the dark
  colour scheme;
- layout: no sideways scrolling at 375 px, a visible skip link on the first
  Tab, dark and print styles that apply.

Screenshots of the home page, a brief and a story at 375 and 1280 px, light
and dark, are saved in ``tests/artifacts/`` for a person to look at.

The browser is Debian's ``chromium``; Playwright only drives it
(``executable_path``), it never downloads one. axe-core's script is the
copy bundled in the ``axe-playwright-python`` package, or, when present, the
npm package installed into ``tests/.node/``.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from digest.model import Digest
from digest.render.feed import render_feeds
from digest.render.site import render_site
from tests.builders import whole
from tests.conftest import TESTS, require_tool
from tests.test_render_sample import sample_digest
from tests.test_render_story import storyline_digest

ARTIFACTS = TESTS / "artifacts"
BASE_PATH = "/news/"
WIDTHS = (375, 1280)
# Flags for a quiet, sandbox-free headless Chromium in a container: no
# network chatter of its own, no first-run work, no shared-memory limits.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
# Pages to picture: the home page, the newest brief, a story with copies.
SCREENSHOT_PAGES = {
    "index": "index.html",
    "brief": "briefs/2020-w42/index.html",
    "story": "stories/s-flood/index.html",
}


def require_module(name: str) -> None:
    """Skip when a Python package is missing locally; in CI it is a failure."""
    if importlib.util.find_spec(name) is not None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the Python package {name} is required in CI; add it to the test extras")
    pytest.skip(f"Python package {name} not installed")


def axe_script() -> str:
    """axe-core's browser script: the npm copy in tests/.node if installed, else the bundled one."""
    npm_copy = TESTS / ".node" / "node_modules" / "axe-core" / "axe.min.js"
    if npm_copy.is_file():
        return npm_copy.read_text()
    require_module("axe_playwright_python")
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).with_name("axe.min.js").read_text()


def browser_digest() -> Digest:
    """The storyline digest plus the sample's hostile, right-to-left brief as week 42."""
    hostile = max(sample_digest().briefs, key=lambda b: b.start)
    week_42 = replace(
        hostile, id="2020-W42", title="", start=date(2020, 10, 12), end=date(2020, 10, 18)
    )
    digest = storyline_digest()
    return replace(digest, briefs=(*digest.briefs, week_42))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rendered site and feeds, written to a folder."""
    folder = tmp_path_factory.mktemp("site")
    digest = browser_digest()
    for file in (*render_site(digest), *whole(render_feeds(digest))):
        target = folder / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
    return folder


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 under /news/; yields the site's base URL."""
    root = tmp_path_factory.mktemp("webroot")
    shutil.copytree(site, root / BASE_PATH.strip("/"))
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{BASE_PATH}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    chromium = require_tool("chromium")
    require_module("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh tab at the width of a large screen."""
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        yield tab
    finally:
        tab.close()


def html_pages(site: Path) -> list[str]:
    """Every page of the site, relative to its folder, in a stable order."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def crawl(page: Any, start: str, exists: Any) -> tuple[set[str], list[str]]:
    """Follow every internal link from ``start``; the pages reached and what was broken."""
    prefix = start.rsplit("/", 1)[0] + "/"
    queue, seen, broken = [start], {start}, []
    anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop(0)
        response = page.goto(url)
        if response is not None and not response.ok:
            broken.append(f"{url}: HTTP {response.status}")
            continue
        hrefs = page.eval_on_selector_all(
            "a[href], link[href]", "elements => elements.map(e => e.href)"
        )
        for href in hrefs:
            target, fragment = urldefrag(href)
            if not target.startswith(prefix):
                continue  # another site: not ours to check
            if not exists(target):
                broken.append(f"{url} links to missing {href}")
                continue
            if fragment:
                anchors.append((url, target, unquote(fragment)))
            if target.endswith(".html") and target not in seen:
                seen.add(target)
                queue.append(target)
    for url, target, fragment in anchors:
        page.goto(target)
        if not page.evaluate("id => document.getElementById(id) !== null", fragment):
            broken.append(f"{url} links to missing #{fragment} in {target}")
    return seen, broken


def test_every_link_resolves_when_served_under_a_base_path(
    page: Any, server: str, site: Path
) -> None:
    def exists(url: str) -> bool:
        relative = urlsplit(url).path.removeprefix(BASE_PATH)
        return (site / unquote(relative)).is_file()

    reached, broken = crawl(page, server + "index.html", exists)
    assert broken == []
    expected = {server + p for p in html_pages(site) if p != "404.html"}
    assert reached == expected


def test_every_link_resolves_when_opened_from_disk(page: Any, site: Path) -> None:
    def exists(url: str) -> bool:
        return Path(unquote(urlsplit(url).path)).is_file()

    reached, broken = crawl(page, (site / "index.html").as_uri(), exists)
    assert broken == []
    assert len(reached) == len(html_pages(site)) - 1  # all but 404.html


def test_the_crawl_reports_a_missing_page_and_a_missing_anchor(page: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><title>t</title><a href="gone.html">x</a>'
        '<a href="other.html#nowhere">y</a><a href="https://elsewhere.example/">z</a>'
    )
    (tmp_path / "other.html").write_text('<!DOCTYPE html><title>o</title><p id="here">o</p>')
    reached, broken = crawl(
        page, (tmp_path / "index.html").as_uri(), lambda url: Path(urlsplit(url).path).is_file()
    )
    assert len(reached) == 2
    assert [b.split(" links to ")[1] for b in broken] == [
        f"missing {(tmp_path / 'gone.html').as_uri()}",
        f"missing #nowhere in {(tmp_path / 'other.html').as_uri()}",
    ]


def axe_violations(tab: Any, script: str) -> list[str]:
    """Run axe-core on the open page: one line per violated rule."""
    tab.add_script_tag(content=script)
    violations: list[str] = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.length})`);
        }"""
    )
    return violations


def test_axe_finds_the_faults_it_is_meant_to_find(page: Any) -> None:
    page.set_content(
        '<!DOCTYPE html><html><title>t</title><main><h1>t</h1><img src="x.png">'
        '<p style="color:#aaa;background:#fff">faint</p></main></html>'
    )
    rules = {line.split(":")[0] for line in axe_violations(page, axe_script())}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= rules


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_an_axe_violation(browser: Any, server: str, site: Path, scheme: str) -> None:
    script = axe_script()
    tab = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    found = {}
    try:
        for path in html_pages(site):
            tab.goto(server + path)
            violations = axe_violations(tab, script)
            if violations:
                found[path] = violations
    finally:
        tab.close()
    assert found == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_and_are_pictured(browser: Any, site: Path, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        tab = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            for name, path in SCREENSHOT_PAGES.items():
                tab.goto((site / path).as_uri())
                overflow = tab.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
                shot = ARTIFACTS / f"{name}-{width}-{scheme}.png"
                tab.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 5000
        finally:
            tab.close()


def test_every_page_fits_a_small_phone(browser: Any, site: Path) -> None:
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        for path in html_pages(site):
            tab.goto((site / path).as_uri())
            overflow = tab.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    finally:
        tab.close()


def test_the_first_tab_shows_the_skip_link_with_a_focus_ring(page: Any, site: Path) -> None:
    page.goto((site / "briefs/2020-w41/index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const e = document.activeElement, box = e.getBoundingClientRect();
            const style = getComputedStyle(e);
            return [e.textContent, box.top >= 0 && box.bottom <= innerHeight,
                    style.outlineStyle, style.outlineWidth];
        }"""
    )
    assert focused == ["Skip to main content", True, "solid", "3px"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_the_dark_scheme_follows_the_system_setting(browser: Any, site: Path) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        tab = browser.new_page(color_scheme=scheme)
        try:
            tab.goto((site / "index.html").as_uri())
            backgrounds[scheme] = tab.evaluate(
                "() => getComputedStyle(document.body).backgroundColor"
            )
        finally:
            tab.close()
    assert backgrounds == {"light": "rgb(253, 253, 251)", "dark": "rgb(21, 23, 26)"}


def test_print_hides_navigation_and_shows_source_addresses(page: Any, site: Path) -> None:
    page.goto((site / "stories/s-flood/index.html").as_uri())
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [
            getComputedStyle(document.querySelector(".site-nav")).display,
            getComputedStyle(document.querySelector(".reports a.outlet"), "::after").content,
        ]"""
    )
    assert shown == ["none", '" <https://herald.example.org/flood>"']


def test_pages_run_no_script_and_load_nothing_from_elsewhere(page: Any, server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("index.html", "stories/s-flood/index.html", "about/index.html"):
        page.goto(server + path)
        assert page.evaluate("() => document.scripts.length") == 0
    assert requested and all(url.startswith(server) for url in requested)
