"""Read a PDF: its text page by page as paragraphs, furniture left out, and the title, author and date of its info.

What it does: pypdf gives each page's lines in the order they were drawn
(a two-column report reads column by column) with where each line sits.
Page *furniture* is recognised by rule and left out: a line in the top or
bottom ``BAND`` of the page that is a page number ("7", "Page 3 of 12",
"- 4 -", "iv") or that recurs, digits aside, in the band of another page
(a running header or footer). The rest is cut into paragraphs at a gap
wider than ``GAP`` times the page's usual line spacing, or at a first line
indented by ``INDENT`` after a line that ends a sentence, and a paragraph's
lines are joined with spaces; a word hyphenated at a line end is joined
again ("procure-" + "ment" -> "procurement") unless the document writes it
with its hyphen elsewhere ("well-known"). A paragraph that runs on to the
next page (no sentence end before the break, a lower-case start after it)
is one paragraph. The text of record is the paragraphs, separated by a blank
line; ``pages`` says at which offset each page's text starts.

What it does not do: read text from pictures (a scanned page has no text
layer: ``ValueError`` when no page has any), open a password-protected
file, or read beyond ``max_pages`` (a warning says how many were read).

>>> join_lines(["The infor-", "mation gap and a well-", "known fact."], {"well-known"})
'The information gap and a well-known fact.'
>>> is_page_number("Page 3 of 12"), is_page_number("- 4 -"), is_page_number("xii"), is_page_number("2024 review")
(True, True, True, False)
"""

from __future__ import annotations

import io
import re
import statistics

from qa.ingest.dates import parse_date

BAND = 0.08  # the top and bottom share of a page where running headers, footers and page numbers sit
GAP = 1.45   # a gap this many usual line spacings wide ends a paragraph
INDENT = 6   # points: a line starting this much right of the one before, after a sentence's end, opens a paragraph
_PAGE_NUMBER = re.compile(r"(?i)^[\W_]*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?[\W_]*$")
_HYPHEN_END = re.compile(r"(\w+)-$")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_WORDS = re.compile(r"\w+(?:-\w+)+")
_JUNK_TITLE = re.compile(r"(?i)^(?:microsoft (?:word|powerpoint) - |untitled)|\.(?:docx?|pdf|tex|indd|pptx?)$")


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


def _shape(line: str) -> str:
    """A line with its digits masked: "Page 3 of 12" and "Page 4 of 12" are the same running footer."""
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def page_lines(page) -> list[tuple[str, float, float]]:
    """(text, height on the page, where it starts across) of each line pypdf draws on ``page``, in drawing order."""
    lines: list[list] = []
    fresh = True

    def visit(text, cm, tm, _font, _size):
        nonlocal fresh
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for i, piece in enumerate(text.split("\n")):
            if i:
                fresh = True
            if piece:
                if fresh or not lines:
                    lines.append(["", y, x])
                    fresh = False
                lines[-1][0] += piece

    page.extract_text(visitor_text=visit)
    return [(" ".join(text.split()), y, x) for text, y, x in lines if text.strip()]


def furniture(pages: list[list[tuple[str, float, float]]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line) of each running header, footer and page number."""
    def in_band(y: float, height: float) -> bool:
        return y > height * (1 - BAND) or y < height * BAND

    shapes: dict[str, set[int]] = {}
    for n, (lines, height) in enumerate(zip(pages, heights)):
        for text, y, _ in lines:
            if in_band(y, height):
                shapes.setdefault(_shape(text), set()).add(n)
    found = set()
    for n, (lines, height) in enumerate(zip(pages, heights)):
        for i, (text, y, _) in enumerate(lines):
            if in_band(y, height) and (is_page_number(text) or len(shapes[_shape(text)]) > 1):
                found.add((n, i))
    return found


def join_lines(lines: list[str], hyphenated: set[str]) -> str:
    """A paragraph's lines as one line; a word broken by a hyphen at a line end is whole again."""
    out = ""
    for line in lines:
        m = _HYPHEN_END.search(out)
        if m and line[:1].islower():
            word = m.group(1) + "-" + re.match(r"\w*", line).group()
            out = out if word.lower() in hyphenated else out[:-1]
            out += line
        else:
            out += (" " if out else "") + line
    return out


def paragraphs(lines: list[tuple[str, float, float]]) -> list[list[str]]:
    """A page's lines grouped into paragraphs: at a wide gap, or at an indented first line after a sentence's end
    (a jump up to a new column keeps the paragraph going unless the line before it ends a sentence)."""
    steps = [a[1] - b[1] for a, b in zip(lines, lines[1:]) if a[1] > b[1]]
    usual = statistics.median(steps) if steps else 0
    groups: list[list[str]] = []
    for i, (text, y, x) in enumerate(lines):
        previous = lines[i - 1] if i else None
        ended = previous is not None and _SENTENCE_END.search(previous[0])
        new = (previous is None or (previous[1] - y > GAP * usual) or (y > previous[1] and ended)
               or (ended and 0 < previous[1] - y <= GAP * usual and x - previous[2] >= INDENT))
        if new:
            groups.append([text])
        else:
            groups[-1].append(text)
    return groups


def _info(reader) -> dict:
    """Title, publisher (the info's author) and date (its creation date) from the PDF's document info."""
    info = reader.metadata or {}
    title, author, created = (str(info.get(k) or "").strip() for k in ("/Title", "/Author", "/CreationDate"))
    date = parse_date(f"{created[2:6]}-{created[6:8]}-{created[8:10]}") if created.startswith("D:") else None
    meta = {"title": None if _JUNK_TITLE.search(title) else title, "publisher": author, "date": date}
    return {k: v for k, v in meta.items() if v}


def _open(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted PDF (it needs a password); save a copy without one to index it")
        return reader, len(reader.pages)
    except ValueError:
        raise
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError) as err:
        raise ValueError(f"not a readable PDF ({type(err).__name__}: {' '.join(str(err).split())[:80]})") from None


def read_pdf(data: bytes, max_pages: int = 300) -> tuple[str, tuple[tuple[int, int], ...], dict, list[str]]:
    """(text of record, (page, offset where its text starts) per page with text, info metadata, warnings)."""
    reader, count = _open(data)
    read = min(count, max_pages)
    pages = [page_lines(reader.pages[n]) for n in range(read)]
    heights = [float(reader.pages[n].mediabox.height) for n in range(read)]
    cut = furniture(pages, heights)
    hyphenated = {w.lower() for lines in pages for text, *_ in lines for w in _WORDS.findall(text)}
    text, starts = "", []
    for n, lines in enumerate(pages):
        kept = [line for i, line in enumerate(lines) if (n, i) not in cut]
        for k, group in enumerate(paragraphs(kept)):
            block = join_lines(group, hyphenated)
            if k == 0 and text and not _SENTENCE_END.search(text) and block[:1].islower():
                last = text.rfind("\n\n") + 2 if "\n\n" in text else 0  # the paragraph runs on from the page before
                text = text[:last] + join_lines([text[last:], block], hyphenated)
                starts.append((n + 1, len(text) - len(block)))
                continue
            if k == 0:
                starts.append((n + 1, len(text) + (2 if text else 0)))
            text += ("\n\n" if text else "") + block
    if not text.strip():
        raise ValueError("only page furniture (headers, footers, page numbers) and no text" if any(pages) else
                         "no text layer (a scanned PDF?); run it through OCR first to index it")
    warnings = [f"only the first {read} of {count} pages read (the limit per file)"] if read < count else []
    empty = read - len(starts)
    if empty:
        warnings.append(f"{empty} of {read} pages have no text layer (scanned?) and were left out")
    return text, tuple(starts), _info(reader), warnings
