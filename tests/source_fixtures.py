"""Fixture builders: saved web pages and PDFs made by the tests themselves (nothing downloaded, nothing shipped).

``news_page`` wraps an article in the furniture of a real news site -- a
navigation bar, a cookie banner, share buttons, a "related articles" list, a
newsletter box and a footer -- with the metadata such pages carry (``<title>``,
Open Graph, ``article:published_time``, JSON-LD). ``seed_page`` saves a seed
article that way. The PDF builders use reportlab: a two-column report with a
running header and a page-numbered footer on each page, hyphenated words split
across lines; a "scanned" PDF (a picture, no text layer); an encrypted one; a
long one.
"""

from __future__ import annotations

import html
import io
import json

from qa.ingest.documents import Document

NAV = ["Home", "World", "Business", "Politics", "Technology", "Sport", "Opinion", "Video"]
RELATED = ["Stocks slide as investors weigh rate path", "Ten gadgets we loved this year",
           "Opinion: what the budget means for you", "Watch: storm batters the coast"]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def news_page(title: str, blocks: list[tuple[str, str]], site: str = "The Daily Ledger", date: str = "2024-03-05",
              author: str = "Jane Doe", charset: str = "utf-8") -> str:
    """A saved news page: ``blocks`` are ("p" | "h2" | "li", text) of the article, furniture all around."""
    body, items = [], []
    for tag, text in blocks:
        if tag == "li":
            items.append(f"<li>{_esc(text)}</li>")
            continue
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        body.append(f"<{tag}>{_esc(text)}</{tag}>")
    if items:
        body.append("<ul>" + "".join(items) + "</ul>")
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{date}T08:30:00Z", "author": {"@type": "Person", "name": author},
                     "publisher": {"@type": "Organization", "name": site}})
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    related = "".join(f'<li><a href="/r/{i}">{_esc(r)}</a></li>' for i, r in enumerate(RELATED))
    share = "".join(f'<a class="share" href="#">{s}</a>' for s in ("Share on Facebook", "Share on X", "Email", "Copy link"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>{_esc(title)} | {_esc(site)}</title>
<meta property="og:title" content="{_esc(title)}"><meta property="og:site_name" content="{_esc(site)}">
<meta property="article:published_time" content="{date}T08:30:00Z"><meta name="author" content="{_esc(author)}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer = [{{"page": "article"}}]; function track() {{ return 1; }}</script>
<style>.cookie {{ position: fixed; }}</style></head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience. By continuing to browse
you agree to our use of cookies.</p><button>Accept all</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/">{_esc(site)}</a><nav class="main-nav"><ul>{nav}</ul></nav>
<a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></header>
<main><article class="story">
<h1>{_esc(title)}</h1>
<div class="byline">By <span class="author">{_esc(author)}</span> · <time datetime="{date}">{date}</time></div>
<div class="share-bar">{share}</div>
<div class="story-body">
{chr(10).join(body)}
</div>
<div class="share-bar bottom">{share}</div>
</article>
<aside class="related"><h3>Related articles</h3><ul>{related}</ul></aside>
<aside class="newsletter"><h3>Sign up for our newsletter</h3><p>Get the day's top stories in your inbox.</p>
<form><input type="email" placeholder="Your email"><button>Sign up</button></form></aside></main>
<footer class="site-footer"><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/terms">Terms of use</a></li></ul><p>© {date[:4]} {_esc(site)}. All rights reserved.</p></footer>
</body></html>
"""


SEED_SITES = ["Associated Press News", "Defense Insight", "Nikkei Asia", "Defense Review Asia"]


def seed_blocks(doc: Document) -> list[tuple[str, str]]:
    """The article of a seed document as a page holds it: its body paragraphs and headings, no debris."""
    return [("h2" if p.kind == "heading" else "p", " ".join(p.text.split()))
            for p in doc.paragraphs if p.kind in ("body", "heading")]


def seed_page(doc: Document, number: int) -> tuple[str, dict]:
    """A seed saved as a web page, and the title, publisher and date its metadata states."""
    title = doc.source.title or f"Seed article {number}"
    meta = {"title": title, "publisher": SEED_SITES[number % len(SEED_SITES)], "date": f"2024-0{number + 1}-1{number}"}
    return news_page(title, seed_blocks(doc), site=meta["publisher"], date=meta["date"]), meta


# --- PDFs ------------------------------------------------------------------------------------------------------------

def _canvas():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    return buffer, canvas.Canvas(buffer, pagesize=A4), A4


def two_column_pdf(pages: list[list[list[str]]], header: str = "Annual Defence Review 2024",
                   title: str = "Annual Defence Review", author: str = "Ministry of Examples") -> bytes:
    """A two-column PDF: ``pages[i]`` is [left column lines, right column lines]; "" in a column is a paragraph gap.

    Each page has the running ``header`` at the top and "Page N of M" at the foot. A line ending in "-" is a
    word hyphenated across the line break, as typesetters do.
    """
    buffer, c, (width, height) = _canvas()
    c.setTitle(title)
    c.setAuthor(author)
    c.setSubject("Test report")
    for n, columns in enumerate(pages, 1):
        c.setFont("Helvetica", 8)
        c.drawString(50, height - 40, header)  # drawn first: content order is no clue to what is furniture
        c.drawCentredString(width / 2, 30, f"Page {n} of {len(pages)}")
        c.setFont("Times-Roman", 10)
        for x, lines in zip((50, width / 2 + 10), columns):
            y = height - 80
            for line in lines:
                if line:
                    c.drawString(x, y, line)
                y -= 13 if line else 9  # a blank entry: the gap between two paragraphs
        c.showPage()
    c.save()
    return buffer.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are pictures only: shapes, no text layer (what a scanner makes)."""
    buffer, c, (width, height) = _canvas()
    for _ in range(pages):
        for i in range(30):
            c.rect(50, height - 60 - i * 20, 400 - (i % 5) * 40, 8, fill=1, stroke=0)
        c.showPage()
    c.save()
    return buffer.getvalue()


def plain_pdf(paragraphs_per_page: list[list[str]]) -> bytes:
    """A simple one-column PDF, one line per entry; a line starting with a tab is indented (a paragraph's first)."""
    buffer, c, (width, height) = _canvas()
    for lines in paragraphs_per_page:
        y = height - 90
        c.setFont("Times-Roman", 11)
        for line in lines:
            c.drawString(78 if line.startswith("\t") else 60, y, line.lstrip("\t"))
            y -= 14
        c.showPage()
    c.save()
    return buffer.getvalue()


def encrypted_pdf(password: str = "secret") -> bytes:
    """A PDF that opens only with a password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf([["Confidential figures for the board."]]))))
    writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
