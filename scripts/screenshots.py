"""Screenshots of the three tabs, with the real model and the real index.

Run from the repository root (after ``qa index``):

    .venv/bin/python scripts/screenshots.py [--index index] [--out docs]

It starts the app on a free local port, drives Debian's headless Chromium
(``/usr/bin/chromium``; never a downloaded browser) and writes
``ask.png``, ``sources.png``, ``verify.png`` (an altered quote), ``verify-not-found.png``,
``phone-ask.png``, ``phone-verify.png`` (390 x 844) and ``check.png`` (a draft marked up by verdict,
one quotation's source shown); ``--only check`` writes that one alone.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from qa.web import app as webapp  # noqa: E402
from qa.config import Config  # noqa: E402
from qa.pipeline import open_assistant  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--force-device-scale-factor=1"]
QUESTION = "What did the U.S. ambassador say about Japan's manufacturing capacity?"
ALTERED = "Supply chains can be reconstructed in just one to two years."
NOT_FOUND = "Japan will double its tank production by 2030."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot(url: str, out: Path) -> None:
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium", args=ARGS,
                                                    headless=True, viewport={"width": 1100, "height": 900})
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(url)
        box = page.locator("#qa-question textarea, #qa-question input").first
        box.fill(QUESTION)
        page.locator("#qa-ask").click()
        page.locator("#qa-answer .qa-card").first.wait_for()
        page.locator("#qa-answer .qa-card summary").first.click()
        page.screenshot(path=str(out / "ask.png"), full_page=True)
        page.locator("#qa-answer a.qa-cite").first.click()
        page.locator("#qa-doc .qa-target").wait_for()
        page.set_viewport_size({"width": 1100, "height": 1250})
        page.evaluate("window.scrollTo(0, 0)")  # the tabs, the index facts and the cited paragraph 3 in one view
        page.wait_for_timeout(400)
        page.screenshot(path=str(out / "sources.png"))
        page.set_viewport_size({"width": 1100, "height": 900})
        page.get_by_role("tab", name="Verify a quote").click()
        page.locator("#qa-quote textarea").fill(ALTERED)
        page.locator("#qa-speaker textarea, #qa-speaker input").first.fill("Yu Yamada")
        page.locator("#qa-verify").click()
        page.locator("#qa-verdict .qa-badge").first.wait_for()
        page.locator("#qa-verdict").scroll_into_view_if_needed()
        page.screenshot(path=str(out / "verify.png"), full_page=True)
        page.locator("#qa-quote textarea").fill(NOT_FOUND)
        page.locator("#qa-speaker textarea, #qa-speaker input").first.fill("Rahm Emanuel")
        page.locator("#qa-verify").click()
        page.locator("#qa-verdict .qa-badge.qa-big", has_text="Not found").wait_for()
        page.screenshot(path=str(out / "verify-not-found.png"), full_page=True)
        phone(ctx, url, out)
        check(ctx, url, out)
        ctx.close()


def check(ctx, url: str, out: Path) -> None:
    """The Check a draft tab: the example draft checked, the altered quotation's popover open."""
    from qa.web.check_tab import DRAFT_EXAMPLE

    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(url)
    page.get_by_role("tab", name="Check a draft").click()
    page.locator("#qa-draft-text textarea").fill(DRAFT_EXAMPLE[0])
    page.locator("#qa-check-button").click()
    page.locator("#qa-checked .qa-draft .qa-q").first.wait_for()
    page.locator("#qa-checked .qa-draft").scroll_into_view_if_needed()
    page.locator("#qa-checked .qa-draft .qa-q-warn").first.hover()
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / "check.png"))


def phone(ctx, url: str, out: Path) -> None:
    """The Ask tab after a question, and the Verify tab, on a 390 x 844 screen."""
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    page.locator("#qa-question textarea, #qa-question input").first.fill(QUESTION)
    page.locator("#qa-ask").click()
    page.locator("#qa-answer .qa-card").first.wait_for()
    page.wait_for_timeout(600)  # the page scrolls to the answer
    page.screenshot(path=str(out / "phone-ask.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("tab", name="Verify a quote").click()
    page.wait_for_timeout(400)
    page.screenshot(path=str(out / "phone-verify.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default="index")
    parser.add_argument("--out", default="docs")
    parser.add_argument("--only", choices=["check"], default=None, help="write check.png alone")
    args = parser.parse_args()
    demo = webapp.build_app(open_assistant(args.index, Config()))
    _, url, _ = webapp.launch(demo, port=free_port(), block=False, quiet=True)
    try:
        if args.only == "check":
            with sync_playwright() as pw:
                ctx = pw.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium",
                                                            args=ARGS, headless=True)
                check(ctx, url, Path(args.out))
                ctx.close()
        else:
            shoot(url, Path(args.out))
    finally:
        demo.close()
    print(f"wrote {args.out}/: " + ("check.png" if args.only else "ask.png, sources.png, verify.png, verify-not-found.png, "
                                    "phone-ask.png, phone-verify.png, check.png"))


if __name__ == "__main__":
    main()
