"""Read any supported file into a LoadedDocument with metadata and sections."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf
from ingest.loaders.text import load_text
from ingest.models import DocumentMeta, LoadedDocument, Section
from knowledge.errors import DocumentError
from knowledge.models import AUDIENCES

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt")
SIDECAR_SUFFIX = ".yml"
META_KEYS = ("title", "url", "audience", "updated", "contact")

Loader = Callable[[Path], tuple[dict[str, Any], list[Section]]]


def sidecar_path(path: Path) -> Path:
    """Return where a document's metadata sidecar lives: NAME.EXT.yml beside it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def load_document(path: Path) -> LoadedDocument:
    """Read a document and its metadata.

    Args:
        path: a file with one of SUPPORTED_SUFFIXES.

    Raises:
        DocumentError: the file is empty, corrupt, protected or has no text.
    """
    found, sections = read_content(path)
    given = {**found, **_read_sidecar(path)}
    return LoadedDocument(meta=build_meta(given, path), sections=sections)


def read_content(path: Path) -> tuple[dict[str, Any], list[Section]]:
    """Return what a file says about itself and its sections (no sidecar, no defaults).

    Raises:
        DocumentError: the file is empty, corrupt, protected or has no text.
    """
    if path.stat().st_size == 0:
        raise DocumentError("filen er tom (empty file)")
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise DocumentError(f"filtypen {path.suffix or '(ingen)'} understøttes ikke (unsupported)")
    found, sections = loader(path)
    if not any(section.text.strip() for section in sections):
        raise DocumentError("dokumentet indeholder ingen tekst (no text)")
    return found, sections


def build_meta(given: Mapping[str, Any], path: Path) -> DocumentMeta:
    """Turn raw metadata into DocumentMeta; bad or missing values get safe defaults."""
    audience = str(given.get("audience") or "public").strip().lower()
    if audience not in AUDIENCES:
        # Fail closed: a misspelt "intern" must not publish a staff document.
        log.warning("%s: unknown audience %r, treated as internal", path.name, audience)
        audience = "internal"
    return DocumentMeta(
        title=_text(given.get("title")) or _title_from_name(path),
        url=_text(given.get("url")),
        audience=audience,  # type: ignore[arg-type]
        updated=_date(given.get("updated"), path),
        contact=_text(given.get("contact")),
    )


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        log.warning("%s: sidecar ignored, it could not be read: %s", sidecar.name, error)
        return {}
    if not isinstance(data, dict):
        log.warning("%s: sidecar ignored, it is not a mapping", sidecar.name)
        return {}
    return {key: data[key] for key in META_KEYS if key in data}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _date(value: Any, path: Path) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        log.warning("%s: updated=%r is not a date (YYYY-MM-DD), ignored", path.name, value)
        return None


def _title_from_name(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name


def _markdown(path: Path) -> tuple[dict[str, Any], list[Section]]:
    front, heading, sections, warning = load_markdown(path)
    if warning:
        log.warning("%s: %s", path.name, warning)
    found = {key: front[key] for key in META_KEYS if key in front}
    if heading and "title" not in found:
        found["title"] = heading
    return found, sections


def _titled(load: Callable[[Path], tuple[str | None, list[Section]]]) -> Loader:
    def loader(path: Path) -> tuple[dict[str, Any], list[Section]]:
        title, sections = load(path)
        return ({"title": title} if title else {}), sections

    return loader


_LOADERS: dict[str, Loader] = {
    ".pdf": _titled(load_pdf),
    ".docx": _titled(load_docx),
    ".txt": _titled(load_text),
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": load_html,
    ".htm": load_html,
}
