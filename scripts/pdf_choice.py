"""Why pypdf reads PDFs, not pdfplumber: the share of a two-column report's paragraphs each library keeps whole.

Run from the repository root (pdfplumber is not a dependency; install it to rerun this):

    .venv/bin/pip install pdfplumber==0.11.10
    .venv/bin/python scripts/pdf_choice.py

The report is the test suite's own fixture (tests/test_html_pdf.py: two pages,
two columns, a running header and a "Page N of M" footer, words hyphenated
across line ends). Each library's plain text is flattened the same way (lines
joined by ``qa.ingest.pdf.join_lines``, so hyphens are rejoined for both); a
paragraph counts when its text occurs whole. Then the same for
``qa.ingest.pdf.read_pdf``'s paragraphs (furniture left out, blocks as written).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.ingest.pdf import join_lines, read_pdf  # noqa: E402
from tests.source_fixtures import two_column_pdf  # noqa: E402
from tests.test_html_pdf import PAGE_1, PAGE_2  # noqa: E402

KEEP = {"well-known"}


def truth() -> list[str]:
    """The report's paragraphs, as written: the lines of each column up to a gap."""
    out = []
    for page in (PAGE_1, PAGE_2):
        for column in page:
            lines: list[str] = []
            for line in column + [""]:
                if line:
                    lines.append(line)
                elif lines:
                    out.append(join_lines(lines, KEEP))
                    lines = []
    return out


def kept(text: str, paragraphs: list[str]) -> str:
    flat = join_lines([line for line in text.splitlines() if line.strip()], KEEP)
    return f"{sum(p in flat for p in paragraphs)} of {len(paragraphs)}"


def main() -> None:
    data, paragraphs = two_column_pdf([PAGE_1, PAGE_2]), truth()
    from pypdf import PdfReader

    print("pypdf          ", kept("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages), paragraphs))
    try:
        import pdfplumber
    except ImportError:
        print("pdfplumber      not installed")
    else:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            print("pdfplumber     ", kept("\n".join(p.extract_text() for p in pdf.pages), paragraphs))
    blocks = read_pdf(data)[0].split("\n\n")
    print("qa.ingest.pdf  ", f"{sum(p in blocks for p in paragraphs)} of {len(paragraphs)} (as its own paragraphs)")


if __name__ == "__main__":
    main()
