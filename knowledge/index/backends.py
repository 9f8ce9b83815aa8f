"""Where generations live: folders of embedded Chroma, or collections on a Chroma server.

Embedded Chroma caches each folder's vector index in the process that opened it, so a
folder must never change under a reader in another process. Every generation is
therefore written once into a fresh folder (or collection) and never modified; a small
pointer names the current one and is replaced atomically.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from knowledge.errors import StoreError
from knowledge.folders import STORE_FOLDER, readable_folder
from knowledge.index.manifest import Manifest


def _chroma_settings() -> ChromaSettings:
    """Return new client settings: chromadb writes into the object it is given."""
    return ChromaSettings(anonymized_telemetry=False)


# HNSW keeps ef_search candidates while it searches. At Chroma's default (100) a query for
# the 60 nearest chunks (store.dense_search) missed one of the 30 nearest for 2 to 4 of 227
# questions on the real pages, and which ones depended on how the process had loaded the
# index: the same question could be answered in one run and refused in the next. At 1000
# the search found the chunks an exact search finds at 10,000 chunks too, for about 6 ms
# more per answer there (README, "How an answer is made").
COLLECTION_CONFIG: dict[str, Any] = {"hnsw": {"space": "cosine", "ef_search": 1000}}


def new_generation_name(generation: int) -> str:
    """Return a name never used before, so no cached client can point at it."""
    return f"g{generation:06d}-{uuid.uuid4().hex[:8]}"


class Backend(Protocol):
    """Storage for generations and the pointer to the current one."""

    def current_name(self) -> str | None: ...
    def read_manifest(self, name: str) -> Manifest | None: ...
    def write_manifest(self, manifest: Manifest) -> None: ...
    def set_current(self, name: str) -> None: ...
    def open_collection(self, name: str, create: bool = False) -> Any: ...
    def release(self, name: str) -> None: ...
    def names(self) -> list[str]: ...
    def drop(self, name: str) -> None: ...


class EmbeddedBackend:
    """Generations as folders under STORE/generations, the pointer a file STORE/CURRENT."""

    def __init__(self, root: Path) -> None:
        self.root = readable_folder(root, STORE_FOLDER)
        self.generations = root / "generations"
        self._clients: dict[str, Any] = {}

    def current_name(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def read_manifest(self, name: str) -> Manifest | None:
        try:
            return Manifest.from_json((self.generations / f"{name}.json").read_text("utf-8"))
        except FileNotFoundError:
            return None

    def write_manifest(self, manifest: Manifest) -> None:
        _write_atomically(self.generations / f"{manifest.name}.json", manifest.to_json())

    def set_current(self, name: str) -> None:
        _write_atomically(self.root / "CURRENT", name + "\n")

    def open_collection(self, name: str, create: bool = False) -> Any:
        folder = self.generations / name
        if not create and not folder.is_dir():
            raise StoreError(f"Indeksets generation {name} mangler; byg det igen med indgang "
                             "ingest --rebuild (index generation missing).")
        if name not in self._clients:
            folder.mkdir(parents=True, exist_ok=True)
            self._clients[name] = chromadb.PersistentClient(str(folder), _chroma_settings())
        client = self._clients[name]
        if create:
            return client.get_or_create_collection("chunks", configuration=COLLECTION_CONFIG,
                                                   embedding_function=None)
        return client.get_collection("chunks", embedding_function=None)

    def release(self, name: str) -> None:
        client = self._clients.pop(name, None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def names(self) -> list[str]:
        if not self.generations.is_dir():
            return []
        found = {p.name.removesuffix(".json") for p in self.generations.iterdir()}
        return sorted(n for n in found if n.startswith("g") and not n.endswith(".tmp"))

    def drop(self, name: str) -> None:
        self.release(name)
        shutil.rmtree(self.generations / name, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            (self.generations / f"{name}.json").unlink()


class ServerBackend:
    """Generations as collections PREFIX-NAME on a Chroma server, manifests beside them."""

    def __init__(self, url: str, prefix: str) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise StoreError(f"INDGANG_CHROMA_URL skal være http://vært:port, ikke {url!r}.")
        try:
            self.client = chromadb.HttpClient(
                host=parsed.hostname, port=parsed.port or (443 if parsed.scheme == "https" else 80),
                ssl=parsed.scheme == "https", settings=_chroma_settings(),
            )
            self.client.heartbeat()
        except Exception as error:  # its text may be a whole HTML page: one line of it
            said = " ".join(str(error).split())
            raise StoreError(f"Chroma-serveren på {url} svarer ikke (the Chroma server does not "
                             f"answer): {said[:160]}{'…' if len(said) > 160 else ''}") from error
        self.prefix = prefix
        self.meta = self.client.get_or_create_collection(
            f"{prefix}-manifests", embedding_function=None
        )

    def current_name(self) -> str | None:
        found = self.meta.get(ids=["current"], include=["metadatas"])
        return str(found["metadatas"][0]["name"]) if found["ids"] else None

    def read_manifest(self, name: str) -> Manifest | None:
        found = self.meta.get(ids=[name], include=["documents"])
        return Manifest.from_json(found["documents"][0]) if found["ids"] else None

    def write_manifest(self, manifest: Manifest) -> None:
        self.meta.upsert(ids=[manifest.name], embeddings=[[1.0]], documents=[manifest.to_json()],
                         metadatas=[{"kind": "manifest"}])

    def set_current(self, name: str) -> None:
        self.meta.upsert(ids=["current"], embeddings=[[1.0]], documents=[""],
                         metadatas=[{"kind": "pointer", "name": name}])

    def open_collection(self, name: str, create: bool = False) -> Any:
        full = f"{self.prefix}-{name}"
        if create:
            return self.client.get_or_create_collection(
                full, configuration=COLLECTION_CONFIG, embedding_function=None
            )
        return self.client.get_collection(full, embedding_function=None)

    def release(self, name: str) -> None:
        """Nothing to release: HTTP clients hold no per-collection state."""

    def names(self) -> list[str]:
        start = f"{self.prefix}-g"
        collections = {c.name.removeprefix(f"{self.prefix}-") for c in self.client.list_collections()
                       if c.name.startswith(start)}
        manifests = self.meta.get(where={"kind": "manifest"}, include=[])["ids"]
        return sorted(collections | set(manifests))

    def drop(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_collection(f"{self.prefix}-{name}")
        self.meta.delete(ids=[name])


def _write_atomically(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
