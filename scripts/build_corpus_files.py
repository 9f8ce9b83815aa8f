"""Build the PDF and DOCX documents of the default corpus from their text sources.

Sources live in scripts/corpus_src/<output name>.src.md, in a small Markdown subset:
YAML-style front matter (title, url, audience, updated, contact), "# " and "## "
headings, "- " list items, plain paragraph lines and "<!-- pagebreak -->" (PDF only).
Each source becomes knowledge/corpus/<output name> plus a metadata sidecar
knowledge/corpus/<output name>.yml with the same five keys as the front matter.

The output is deterministic: fixed creation dates in the PDF and DOCX metadata and
fixed timestamps inside the DOCX zip archive.

Run with: /tmp/probe-venv/bin/python scripts/build_corpus_files.py
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "scripts" / "corpus_src"
OUT_DIR = ROOT / "knowledge" / "corpus"
META_KEYS = ("title", "url", "audience", "updated", "contact")
PAGEBREAK = "<!-- pagebreak -->"


@dataclass
class Block:
    """One piece of a source document: a heading, a paragraph, a list item or a page break."""

    kind: str  # "h1", "h2", "p", "li", "pagebreak"
    text: str = ""


@dataclass
class Source:
    """A parsed source file: its metadata and its blocks in order."""

    meta: dict[str, str]
    blocks: list[Block] = field(default_factory=list)


def parse_source(path: Path) -> Source:
    """Read a .src.md file into metadata and a list of blocks."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: missing front matter")
    end = lines.index("---", 1)
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        raise ValueError(f"{path}: front matter lacks {missing}")
    blocks: list[Block] = []
    for raw in lines[end + 1 :]:
        line = raw.strip()
        if not line:
            continue
        if line == PAGEBREAK:
            blocks.append(Block("pagebreak"))
        elif line.startswith("## "):
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block("h1", line[2:].strip()))
        elif line.startswith("- "):
            blocks.append(Block("li", line[2:].strip()))
        else:
            blocks.append(Block("p", line))
    return Source(meta, blocks)


def fixed_datetime(meta: dict[str, str]) -> datetime:
    """Return the document's 'updated' date as a fixed UTC datetime at noon."""
    day = datetime.strptime(meta["updated"], "%Y-%m-%d")
    return day.replace(hour=12, tzinfo=timezone.utc)


def check_latin1(text: str, where: str) -> str:
    """Fail loudly if text has characters the PDF core fonts cannot encode."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{where}: character outside latin-1: {text[exc.start]!r}") from exc
    return text


def build_pdf(src: Source, out: Path) -> None:
    """Write a PDF with bold, larger headings and the source's page breaks."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(fixed_datetime(src.meta))
    pdf.set_title(check_latin1(src.meta["title"], "title"))
    pdf.set_author("Eksempel Kommune")
    pdf.set_subject(src.meta["title"])
    pdf.set_creator("scripts/build_corpus_files.py")
    pdf.set_producer("fpdf2")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in src.blocks:
        text = check_latin1(block.text, out.name)
        if block.kind == "pagebreak":
            pdf.add_page()
        elif block.kind == "h1":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(width, 9, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif block.kind == "h2":
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", 14)
            pdf.multi_cell(width, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "li":
            pdf.set_font("Helvetica", "", 11)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 6, "- " + text, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    pdf.output(str(out))


def normalise_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip archive with fixed entry timestamps so the bytes are reproducible."""
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


def build_docx(src: Source, out: Path) -> None:
    """Write a DOCX with real Word heading styles and bulleted list items."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    when = fixed_datetime(src.meta).replace(tzinfo=None)
    props = doc.core_properties
    props.title = src.meta["title"]
    props.author = "Eksempel Kommune"
    props.last_modified_by = "Eksempel Kommune"
    props.subject = src.meta["title"]
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    for block in src.blocks:
        if block.kind == "pagebreak":
            doc.add_page_break()
        elif block.kind == "h1":
            doc.add_heading(block.text, level=1)
        elif block.kind == "h2":
            doc.add_heading(block.text, level=2)
        elif block.kind == "li":
            doc.add_paragraph(block.text, style="List Bullet")
        else:
            doc.add_paragraph(block.text)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(normalise_zip(buf.getvalue(), when))


def yaml_value(value: str) -> str:
    """Quote a scalar for YAML when a plain scalar would be misread."""
    if value == "" or any(ch in value for ch in ":#'\"{}[]&*!|>%@`") or value[0] in "-?,":
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    return value


def write_sidecar(meta: dict[str, str], out: Path) -> None:
    """Write <file>.yml next to a generated file with the five metadata keys."""
    lines = [f"{key}: {yaml_value(meta[key])}" for key in META_KEYS]
    # The date and the audience stay plain so YAML reads them as a date and a word.
    lines[META_KEYS.index("updated")] = f"updated: {meta['updated']}"
    lines[META_KEYS.index("audience")] = f"audience: {meta['audience']}"
    sidecar = out.with_name(out.name + ".yml")
    sidecar.write_text("\n".join(lines) + "\n", encoding="utf-8")


BUILDERS = {".pdf": build_pdf, ".docx": build_docx}


def main() -> None:
    """Build every source under scripts/corpus_src into knowledge/corpus."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sources = sorted(SRC_DIR.glob("*.src.md"))
    if not sources:
        raise SystemExit(f"no sources in {SRC_DIR}")
    for path in sources:
        out_name = path.name[: -len(".src.md")]
        out = OUT_DIR / out_name
        builder = BUILDERS.get(out.suffix)
        if builder is None:
            raise SystemExit(f"{path.name}: no builder for {out.suffix}")
        src = parse_source(path)
        builder(src, out)
        write_sidecar(src.meta, out)
        print(f"wrote {out.relative_to(ROOT)} and {out.name}.yml")


if __name__ == "__main__":
    main()
