"""Build time per megabyte of web pages and of PDFs: the seeds saved in each form, indexed for real.

What it does: writes every seed article as a saved web page (navigation,
share links and a footer around it) and as a PDF (reportlab, a dev
dependency: one column, lines wrapped), ``COPIES`` times each (the title line
says which copy, so no file is a duplicate), then times the extraction alone
(``qa.ingest.worker``) and the whole ``build_index_folder`` of each folder,
and reports seconds per MB of input -- the figure a user needs to guess how
long their own folder takes. ``sources_section`` renders it for bench.md.

What it does not do: measure answering (``qa.bench.run``).

>>> sources_section({"sources": {"html": {"files": 4, "mb": 0.5, "extract_s_per_mb": 2.0, "build_s_per_mb": 9.0}}})[2]
'| form | files | MB | extraction s/MB | index build s/MB |'
"""

from __future__ import annotations

import html
import io
import textwrap
import time
from pathlib import Path

COPIES = 3


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)} | Bench News</title>"
            "<meta property='og:site_name' content='Bench News'></head><body><nav><a href='/'>Home</a> "
            "<a href='/world'>World</a></nav><article><h1>" + html.escape(title) + "</h1>"
            "<div class='share'><a href='#'>Share</a> <a href='#'>Email</a></div>" + body +
            "</article><footer><a href='/privacy'>Privacy</a> © Bench News</footer></body></html>")


def pdf(title: str, paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(title)
    y, n = A4[1] - 90, 1
    for lines in [[title]] + [textwrap.wrap(p, 90) for p in paragraphs]:
        for line in lines:
            if y < 80:
                c.drawString(290, 40, str(n))
                c.showPage()
                y, n = A4[1] - 90, n + 1
            c.setFont("Times-Roman", 10)
            c.drawString(60, y, line)
            y -= 13
        y -= 8
    c.drawString(290, 40, str(n))
    c.save()
    return out.getvalue()


def write_forms(seeds: Path, work: Path) -> dict[str, Path]:
    """The seeds as web pages and as PDFs, ``COPIES`` of each, in one folder per form."""
    from qa.ingest.documents import read_folder

    folders = {"html": work / "html", "pdf": work / "pdf"}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for doc in read_folder(seeds)[0]:
        paragraphs = [" ".join(p.text.split()) for p in doc.paragraphs if p.kind == "body"]
        for copy in range(1, COPIES + 1):
            title = f"{doc.source.title or doc.name} (copy {copy})"
            (folders["html"] / f"{doc.name[:-4]}-{copy}.html").write_text(page(title, paragraphs), encoding="utf-8")
            (folders["pdf"] / f"{doc.name[:-4]}-{copy}.pdf").write_bytes(pdf(title, paragraphs))
    return folders


def source_throughput(seeds: Path, work: Path, cfg, embedder) -> dict:
    """Per form: files, MB, extraction seconds per MB (worker start included), index build seconds per MB."""
    from qa.index.build import build_index_folder
    from qa.ingest.extract import kind_of
    from qa.ingest.worker import Extractor

    out = {}
    for form, folder in write_forms(seeds, work).items():
        files = sorted(folder.iterdir())
        mb = sum(f.stat().st_size for f in files) / 1e6
        started = time.perf_counter()
        with Extractor() as extract:
            for f in files:
                extract(kind_of(f.name), f.read_bytes())
        extract_s = time.perf_counter() - started
        report = build_index_folder(folder, work / f"{form}-index", cfg, embedder=embedder)
        out[form] = {"files": len(files), "mb": round(mb, 3), "sentences": report.sentences,
                     "extract_s_per_mb": round(extract_s / mb, 2), "build_s_per_mb": round(report.seconds / mb, 2)}
    return out


def sources_section(result: dict) -> list[str]:
    """The bench.md lines of ``source_throughput``'s figures (none when it did not run)."""
    rows = result.get("sources") or {}
    if not rows:
        return []
    lines = ["## Web pages and PDFs: build time per MB", "",
             "| form | files | MB | extraction s/MB | index build s/MB |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {form} | {r['files']} | {r['mb']} | {r['extract_s_per_mb']} | {r['build_s_per_mb']} |" for form, r in rows.items()]
    return lines + ["", f"The seeds saved as pages and as PDFs, {COPIES} copies each (qa.bench.sources); a build includes "
                        "the extraction and the embedding of every sentence.", ""]
