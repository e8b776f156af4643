"""Read a saved web page: its article as plain paragraphs, and the title, publisher and date its metadata states.

What it does: decodes the page's bytes (UTF-8; else the charset the page
declares; else the one ``charset_normalizer`` finds likeliest, with a warning
saying so), lets trafilatura find the article -- navigation, cookie banners,
share buttons, related links and footers left out -- and writes its text
one block per paragraph, heading, list item, quotation or table row,
blocks separated by a blank line, each block's whitespace made single
spaces (a ``<br>`` stays a line break). That text is the document's *text of
record*: every offset, quote and citation refers to it. The page's
``<title>`` / Open Graph / JSON-LD give the title, its site name the
publisher, its published date the date (htmldate, not searching the text).

What it does not do: run scripts, fetch anything, or guess a date from the
prose; a page with no article in it raises ``ValueError`` saying so.

>>> page = ("<html><head><title>Tanks | The Ledger</title><meta property='og:site_name' content='The Ledger'>"
...         "</head><body><nav><a href='/'>Home</a></nav><article><h1>Tanks</h1>"
...         "<p>The tanks rolled through Hokkaido in the drills that spring, the ministry said.</p>"
...         "<ul><li>One item of the list of facts.</li><li>Two items.</li></ul></article></body></html>")
>>> text, meta, warnings = read_html(page.encode())
>>> text.split("\\n\\n")
['Tanks', 'The tanks rolled through Hokkaido in the drills that spring, the ministry said.', 'One item of the list of facts.', 'Two items.']
>>> meta["title"], meta["publisher"], warnings
('Tanks', 'The Ledger', [])
"""

from __future__ import annotations

import re

BLOCKS = ("p", "head", "item", "quote", "row", "code")  # trafilatura's block elements; each is a paragraph
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_SPACE = re.compile(r"[^\S\n]+")
MIN_TEXT_CHARS = 25  # an "article" shorter than this is page furniture, not a source


def decode_page(data: bytes) -> tuple[str, str | None]:
    """The page's text and, when it is not UTF-8, a warning naming the encoding it was read as.

    >>> decode_page('<meta charset="windows-1252"><p>caf\\u00e9</p>'.encode("cp1252"))
    ('<meta charset="windows-1252"><p>café</p>', 'read as windows-1252, the encoding the page declares (not UTF-8)')
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(name), f"read as {name}, the encoding the page declares (not UTF-8)"
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any encoding found (binary file?)")
    return str(best), f"read as {best.encoding}, the likeliest encoding (the page is not UTF-8 and declares none that fits)"


def _block_text(element) -> str:
    """An element's text with its whitespace made single spaces; a ``<lb/>`` (from ``<br>``) stays a line break."""
    parts = []
    for node in element.iter():
        if node is not element and node.tag in BLOCKS:
            continue  # a nested block is a block of its own
        parts.append("\n" if node.tag == "lb" else node.text or "")
        if node is not element:
            parts.append(node.tail or "")
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def article_blocks(body) -> list[str]:
    """The text of each block element of trafilatura's article tree, in document order."""
    return [text for text in (_block_text(el) for el in body.iter(*BLOCKS)) if text]


def read_html(data: bytes) -> tuple[str, dict, list[str]]:
    """(text of record, {"title", "publisher", "date"} as the page states them, warnings) of a saved page."""
    import trafilatura

    page, warning = decode_page(data)
    if not page.strip():
        raise ValueError("empty file")
    found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True,
                                        date_extraction_params={"extensive_search": False, "original_date": True})
    blocks = article_blocks(found.body) if found is not None and found.body is not None else []
    text = "\n\n".join(blocks)
    if len(text) < MIN_TEXT_CHARS:
        raise ValueError("no article text found (the page holds only navigation, links or scripts)")
    meta = {"title": getattr(found, "title", None), "publisher": getattr(found, "sitename", None),
            "date": getattr(found, "date", None)}
    return text, {k: v for k, v in meta.items() if isinstance(v, str) and v.strip()}, [warning] if warning else []
