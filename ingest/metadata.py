"""Document metadata: YAML front matter and sidecars, read so that nothing fails open.

Metadata that cannot be read at all (not YAML, not a mapping) fails the document: its
`audience: internal` may be in there, so guessing `public` could publish staff text.
A single bad value (a date that is no date, a title that is a list) only costs that
value: it gets a warning and its default, and the document is ingested.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ingest.models import DocumentMeta
from knowledge.errors import DocumentError
from knowledge.models import AUDIENCES
from knowledge.text.normalization import visible_line

log = logging.getLogger(__name__)

META_KEYS = ("title", "url", "audience", "updated", "contact")
# NAME.EXT.yml beside the document; .yaml, which editors and people use, counts too.
_MAX_LINKS = 40  # as the system follows them: a longer chain is a loop
SIDECAR_SUFFIXES = (".yml", ".yaml")  # in any case
RECENT_CHANGE_NS = 5_000_000_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _MetadataLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: a bad date is then one bad value, not a bad file.

    A metadata key given twice fails: YAML would keep the last ("audience: internal" then
    "audience: public" would publish the document).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            key = str(key_node.value).strip().lower()
            if key in META_KEYS and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nøglen {key} står to gange (key given twice)", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


_MetadataLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def sidecar_path(path: Path) -> Path | None:
    """Return the document's metadata sidecar (NAME.EXT.yml or .yaml beside it), if any.

    The name is matched in any case (".YML", ".Yaml"): a sidecar not found would leave an
    internal document public.

    Raises:
        DocumentError: it has two (which one says the audience?).
    """
    changed = _changed_ns(path.parent)
    # A folder changed in the last seconds may change again within its time's resolution
    # (2 s on some network shares), unseen by a cache keyed on that time: read it afresh.
    recent = time.time_ns() - changed < RECENT_CHANGE_NS
    names = (_names_by_lower_case.__wrapped__ if recent else _names_by_lower_case)(
        path.parent, changed)
    found = [name for suffix in SIDECAR_SUFFIXES
             for name in names.get((path.name + suffix).lower(), ())]
    if len(found) > 1:
        raise DocumentError(f"flere sidefiler: {', '.join(found)}; behold én (several sidecars)")
    return path.with_name(found[0]) if found else None


def _changed_ns(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=32)
def _names_by_lower_case(folder: Path, changed_ns: int) -> dict[str, tuple[str, ...]]:
    """Return a folder's entry names by their lower-case form, read once while it is
    unchanged (an entry added or removed changes the folder's time)."""
    names: dict[str, tuple[str, ...]] = {}
    try:
        entries = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return names
    for name in entries:
        names[name.lower()] = (*names.get(name.lower(), ()), name)
    return names


def parse_metadata(text: str, where: str) -> dict[str, Any]:
    """Return the metadata keys of a YAML mapping (keys lower-cased).

    Raises:
        DocumentError: the text is not YAML, or not a mapping of keys to values.
    """
    try:
        data = yaml.load(text, Loader=_MetadataLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        raise DocumentError(f"{where} er ikke gyldig YAML{_position(error)}: {_problem(error)}"
                            f"{_hint(error)} (invalid YAML)") from error
    except (ValueError, TypeError, RecursionError) as error:  # an explicit !!tag gone wrong
        raise DocumentError(f"{where} kan ikke læses (unreadable): {error}") from error
    if not isinstance(data, dict):
        raise DocumentError(f"{where} er ikke en liste af nøgle: værdi (not a mapping of keys)")
    given = {str(key).strip().lower(): value for key, value in data.items()}
    return {key: given[key] for key in META_KEYS if key in given}


def sidecar_paths(path: Path) -> list[Path]:
    """Return a document's sidecars: beside it, and for a link beside each link it leads
    through and beside the file it ends at.

    A link's own sidecar comes last, so its values win, but one that says internal keeps
    the document internal (clean_metadata): an admin who links a staff file into a folder
    must not publish it by leaving its sidecar behind, nor by putting one beside the link.

    Raises:
        DocumentError: a place has two sidecars (which one says the audience?).
    """
    places = [path]
    while places[-1].is_symlink() and len(places) <= _MAX_LINKS:
        places.append(places[-1].parent / os.readlink(places[-1]))
    found = [sidecar_path(place) for place in reversed(places)]
    return list(dict.fromkeys(sidecar for sidecar in found if sidecar is not None))


def read_sidecar_bytes(sidecar: Path) -> bytes:
    """Return a sidecar's bytes.

    Raises:
        DocumentError: it is no regular file or cannot be read; the reason names it.
    """
    where = f"sidefilen {sidecar.name}"
    if not sidecar.is_file():
        raise DocumentError(f"{where} er ikke en almindelig fil (not a regular file)")
    try:
        return sidecar.read_bytes()
    except OSError as error:
        raise DocumentError(f"{where} kunne ikke læses: {error.strerror or error} "
                            "(the sidecar could not be read)") from error


def read_sidecars(path: Path) -> list[dict[str, Any]]:
    """Return the metadata in a document's sidecars (see sidecar_paths), [] when none.

    Raises:
        DocumentError: a sidecar exists but cannot be read or is not a mapping.
    """
    layers = []
    for sidecar in sidecar_paths(path):
        where = f"sidefilen {sidecar.name}"
        try:
            text = read_sidecar_bytes(sidecar).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DocumentError(f"{where} kan ikke læses som UTF-8 (unreadable): {error}") from error
        layers.append(parse_metadata(text, where))
    return layers


def clean_metadata(layers: Iterable[Mapping[str, Any]], path: Path) -> dict[str, Any]:
    """Return the usable values of metadata layers, a later layer's over an earlier one's.

    A bad value gets a warning and is left out, so an earlier layer's value stands; a bad
    audience counts as internal. The audience fails closed across layers too: a document
    any layer calls internal (a Markdown file's front matter, say) stays internal whatever
    a later one (its sidecar) says.
    """
    clean: dict[str, Any] = {}
    for given in layers:
        usable = _usable(given, path)
        if clean.get("audience") == "internal":
            usable.pop("audience", None)
        clean.update(usable)
    return clean


def build_meta(clean: Mapping[str, Any], path: Path) -> DocumentMeta:
    """Turn clean metadata (from clean_metadata) into DocumentMeta; missing values get defaults."""
    return DocumentMeta(
        title=clean.get("title") or title_from_name(path.name),
        url=clean.get("url", ""),
        audience=clean.get("audience", "public"),
        updated=clean.get("updated"),
        contact=clean.get("contact", ""),
    )


def title_from_name(name: str, fallback: str = "") -> str:
    """Return a title made from a file name: "tilskud-2025.md" -> "Tilskud 2025".

    A name with no words in it ("-.pdf") gives fallback, or else the name itself.
    """
    stem = name.rsplit(".", 1)[0]
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or fallback or name


def _usable(given: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """Return the usable values of one layer; a bad one gets a warning and is left out."""
    clean: dict[str, Any] = {}
    for key in ("title", "contact"):
        if text := _text(given, key, path):
            clean[key] = text
    if url := _url(given, path):
        clean["url"] = url
    if updated := _date(given.get("updated"), path):
        clean["updated"] = updated
    if given.get("audience") not in (None, ""):
        clean["audience"] = _audience(given["audience"], path)
    return clean


def _audience(value: Any, path: Path) -> str:
    audience = value.strip().lower() if isinstance(value, str) else None
    if audience not in AUDIENCES:
        # Fail closed: a misspelt "intern" (or a list, a number) must not publish staff text.
        log.warning("%s: ukendt audience %r, regnes for intern (unknown audience, treated as "
                    "internal)", path.name, value)
        return "internal"
    return audience


def _text(given: Mapping[str, Any], key: str, path: Path) -> str:
    value = given.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        log.warning("%s: %s=%r er ikke tekst og bruges ikke (not text, ignored)", path.name, key,
                    value)
        return ""
    return visible_line(str(value))  # a title of invisible characters is no title


def _url(given: Mapping[str, Any], path: Path) -> str:
    url = _text(given, "url", path)
    if url and not url.lower().startswith(("https://", "http://")):
        # Telegram refuses other links, and a javascript: link has no place in an answer.
        log.warning("%s: url=%r er ikke en http(s)-adresse og bruges ikke (not an http(s) "
                    "address, ignored)", path.name, url)
        return ""
    return url


def _date(value: Any, path: Path) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    log.warning("%s: updated=%r er ikke en dato (ÅÅÅÅ-MM-DD) og bruges ikke (not a date, "
                "ignored)", path.name, value)
    return None


def _position(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f", linje {mark.line + 1}" if mark is not None else ""


def _problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    return " ".join(str(problem).split())


def _hint(error: yaml.YAMLError) -> str:
    if "mapping values are not allowed" in str(getattr(error, "problem", "")):
        return " - sæt en værdi med kolon i anførselstegn: title: \"Frist: 1. marts\""
    return ""
