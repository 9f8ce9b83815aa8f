"""Shared fixtures: the real embedding model once per session, real Chroma stores."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.answers.answering import Answerer
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    """Settings shared by the session: the user's model cache, nothing else."""
    return Settings()


@pytest.fixture(scope="session")
def embedder(base_settings: Settings) -> Embedder:
    """The real default embedding model, loaded once."""
    model = Embedder(base_settings)
    model.embed_query("varm op")  # load now, not inside the first timed step
    return model


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run `chroma run` on 127.0.0.1 for the session; yield its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    process = subprocess.Popen(
        [chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start: {(data / 'server.log').read_text()}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, base_settings: Settings) -> Settings:
    """Settings for one test's own store: embedded Chroma, or a Chroma server."""
    update: dict[str, object] = {"data_dir": tmp_path / "data", "store_dir": tmp_path / "store"}
    if request.param == "server":
        update["chroma_url"] = request.getfixturevalue("chroma_server")
        update["collection_prefix"] = f"t{uuid.uuid4().hex[:10]}"
    return base_settings.model_copy(update=update)


@pytest.fixture
def embedded_settings(tmp_path: Path, base_settings: Settings) -> Settings:
    """Settings for one test's own embedded store."""
    return base_settings.model_copy(
        update={"data_dir": tmp_path / "data", "store_dir": tmp_path / "store"}
    )


@pytest.fixture
def store(settings: Settings) -> Store:
    """The test's store (embedded or server)."""
    return Store.from_settings(settings)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, base_settings: Settings,
                    embedder: Embedder) -> Settings:
    """An embedded store holding the default documents (and the seeds when present)."""
    from ingest.sync import sync_documents
    from knowledge.settings import default_corpus_dir

    root = tmp_path_factory.mktemp("corpus-store")
    settings = base_settings.model_copy(update={"data_dir": root / "data", "store_dir": root / "store"})
    sources = [default_corpus_dir(), *([SEEDS] if SEEDS.is_dir() else [])]
    summary = sync_documents(sources, Store.from_settings(settings), embedder, settings)
    assert summary.failed == [], summary.failed
    return settings


@pytest.fixture(scope="session")
def answerer(corpus_settings: Settings, embedder: Embedder) -> Answerer:
    """The real answerer over the default documents."""
    from knowledge.answers.retrieval import Retriever

    return Answerer(Retriever(Store.from_settings(corpus_settings), embedder), embedder,
                    corpus_settings)
