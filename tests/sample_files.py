"""Build real documents of every supported format for tests (and bad ones)."""

from __future__ import annotations

from pathlib import Path

import docx
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject


def write_markdown(path: Path, body: str, **front: str) -> Path:
    """Write a Markdown file with YAML front matter."""
    head = "".join(f"{key}: {value}\n" for key, value in front.items())
    path.write_text(f"---\n{head}---\n{body}" if front else body, encoding="utf-8")
    return path


def write_pdf(path: Path, pages: list[list[tuple[str, str]]], title: str | None = None) -> Path:
    """Write a PDF; each page is a list of (heading, paragraph) pairs."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for page in pages:
        pdf.add_page()
        for heading, paragraph in page:
            pdf.set_font("Helvetica", "B", 16)
            pdf.multi_cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


def write_slow_pdf(path: Path, draws: int = 50_000) -> Path:
    """Write a PDF of a few kilobytes that takes seconds to parse (50,000 draws: about 7 s).

    Its one page draws the same line of text over and over, in a compressed content stream.
    """
    writer = PdfWriter(clone_from=PdfReader(write_pdf(path, [[("Regnskab", "Kort tekst.")]])))
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 11 Tf 72 720 Td (Regnskabet afleveres) Tj ET\n" * draws)
    writer.pages[0].replace_contents(content.flate_encode(level=9))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_scanned_pdf(path: Path) -> Path:
    """Write a PDF with drawings but no text, as a scanner would (an image, no text layer)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def write_protected_pdf(path: Path, source: Path) -> Path:
    """Write a password-protected copy of a PDF."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="hemmelig", owner_password="ejer", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_docx(path: Path, blocks: list[tuple[int | None, str]], title: str | None = None) -> Path:
    """Write a DOCX; blocks are (heading level, text), level None for a paragraph."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for level, text in blocks:
        if level is None:
            document.add_paragraph(text)
        else:
            document.add_heading(text, level=level)
    document.save(str(path))
    return path


HTML_PAGE = """<!doctype html>
<html lang="da"><head><title>Lokaletilskud | Eksempel Kommune</title>
<link rel="canonical" href="https://www.eksempel-kommune.dk/lokaletilskud">
<meta name="dcterms.modified" content="2025-03-14">
</head><body>
<div id="cookie-banner">Vi bruger cookies til statistik. Accepter alle cookies.</div>
<header><nav><ul><li>Forside</li><li>Borger</li><li>Erhverv</li></ul></nav></header>
<main>
<h1>Lokaletilskud til foreninger</h1>
<p>Godkendte foreninger kan få tilskud til leje af egne lokaler.</p>
<h2>Sådan søger I</h2>
<p>Ansøgningen sendes senest 15. januar via den digitale formular.</p>
<ul><li>Lejekontrakt</li><li>Seneste regnskab</li></ul>
</main>
<footer>Eksempel Kommune - Rådhuspladsen 1 - Del på Facebook</footer>
</body></html>
"""


def write_html(path: Path, page: str = HTML_PAGE) -> Path:
    """Write an HTML page with menus, a cookie banner and a footer around the content."""
    path.write_text(page, encoding="utf-8")
    return path
