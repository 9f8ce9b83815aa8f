"""Sync against real Chroma (embedded and server) with the real model."""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from ingest import files
from ingest.commands.ingest import summary_json, summary_text
from ingest.locking import ingest_lock
from ingest.models import Removal
from ingest.sync import RemovalRefusedError, sync_documents
from knowledge.errors import DocumentError, IngestBusyError, StoreError
from knowledge.index import backends
from knowledge.index.backends import EmbeddedBackend
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store, all_chunks, dense_search
from knowledge.settings import Settings
from tests.conftest import SEEDS
from tests.sample_files import write_docx, write_html, write_markdown, write_pdf

FRIST = "Ansøgninger til § 18-puljen skal være modtaget senest 1. marts."
NY_FRIST = "Ansøgninger til § 18-puljen skal være modtaget senest 15. marts."


def _folder(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir()
    write_markdown(docs / "pulje.md", f"# § 18-puljen\n\n## Frister\n\n{FRIST}\n",
                   title="§ 18-puljen", audience="public", updated="2025-01-10")
    write_markdown(docs / "intern.md", "# Intern\n\nPointmodellen bruger skala 1-5 (kun internt).\n",
                   title="Intern vejledning", audience="internal")
    write_pdf(docs / "regnskab.pdf", [[("Regnskab", "Regnskabet afleveres senest 1. april.")],
                                      [("Revision", "Over 50.000 kr. kræver revisorerklæring.")]])
    write_docx(docs / "tjek.docx", [(1, "Tjekliste"), (None, "Vedlæg vedtægter og budget.")])
    write_html(docs / "lokaler.html")
    return docs


def _sync(docs: Path, store: Store, embedder: Embedder, settings: Settings, **kw: bool):  # type: ignore[no-untyped-def]
    return sync_documents([docs], store, embedder, settings, **kw)


def _texts(store: Store, audiences: tuple[str, ...] = ("public", "internal")) -> str:
    snapshot = store.snapshot()
    assert snapshot is not None
    return "\n".join(row.text for row in all_chunks(snapshot, audiences))  # type: ignore[arg-type]


def test_first_sync_indexes_every_format(tmp_path: Path, store: Store, embedder: Embedder,
                                         settings: Settings) -> None:
    summary = _sync(_folder(tmp_path), store, embedder, settings)
    assert (summary.new, summary.changed, summary.removed, summary.unchanged) == (5, 0, 0, 0)
    assert summary.failed == []
    manifest = store.current_manifest()
    assert manifest is not None and manifest.model == embedder.name
    assert summary.chunks == manifest.chunk_count >= 6
    snapshot = store.snapshot()
    assert snapshot is not None
    hits = dense_search(snapshot, embedder.embed_query("hvornår er fristen for 18 midler"), 3,
                        ["public"])
    best, score = hits[0]
    assert best.text == FRIST and best.metadata["section"] == "Frister" and score > 0.5
    pdf_rows = [r for r in all_chunks(snapshot, ["public"]) if r.metadata["file"] == "regnskab.pdf"]
    assert {r.metadata["page"] for r in pdf_rows} == {1, 2}


def test_resync_add_change_delete_unchanged(tmp_path: Path, store: Store, embedder: Embedder,
                                            settings: Settings) -> None:
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    first = store.current_manifest()
    assert first is not None
    again = _sync(docs, store, embedder, settings)
    assert (again.new, again.changed, again.removed, again.unchanged) == (0, 0, 0, 5)
    assert store.current_manifest() == first  # nothing changed, no new generation

    (docs / "pulje.md").write_text((docs / "pulje.md").read_text("utf-8").replace(FRIST, NY_FRIST))
    (docs / "tjek.docx").unlink()
    write_markdown(docs / "ny.md", "Lommepengejob er for unge på 13-17 år.\n", title="Lommepengejob")
    summary = _sync(docs, store, embedder, settings)
    assert (summary.new, summary.changed, summary.removed, summary.unchanged) == (1, 1, 1, 3)
    text = _texts(store)
    assert NY_FRIST in text and FRIST not in text
    assert "Vedlæg vedtægter" not in text and "Lommepengejob er for unge" in text
    manifest = store.current_manifest()
    assert manifest is not None and manifest.generation == first.generation + 1
    snapshot = store.snapshot()
    assert snapshot is not None
    assert summary.chunks == manifest.chunk_count == snapshot.collection.count()
    # Unchanged documents keep their chunk ids (their vectors were copied, not re-made).
    key = str((docs / "regnskab.pdf").resolve())
    assert manifest.documents[key].chunk_ids == first.documents[key].chunk_ids


def test_sidecar_change_counts_as_a_change(tmp_path: Path, store: Store, embedder: Embedder,
                                           settings: Settings) -> None:
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    (docs / "tjek.docx.yml").write_text("audience: internal\n", "utf-8")
    summary = _sync(docs, store, embedder, settings)
    assert summary.changed == 1
    assert "Vedlæg vedtægter" not in _texts(store, ("public",))
    assert "Vedlæg vedtægter" in _texts(store, ("internal",))


def test_a_new_way_of_reading_files_reads_every_file_again(
        tmp_path: Path, store: Store, embedder: Embedder, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks made by an older loader would otherwise stay until the file itself changed.
    docs = _folder(tmp_path)
    first = _sync(docs, store, embedder, settings)
    monkeypatch.setattr("ingest.files.READ_VERSION", files.READ_VERSION + 1)
    summary = _sync(docs, store, embedder, settings)
    assert summary.changed == first.new and summary.unchanged == 0


def test_an_index_written_with_older_search_settings_is_copied_to_the_current_ones(
        tmp_path: Path, store: Store, embedder: Embedder, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Indexes written at Chroma's default ef_search missed some nearest chunks, differently
    # in each process; nothing changed in the documents must not keep them so.
    docs = _folder(tmp_path)
    monkeypatch.setattr(backends, "COLLECTION_CONFIG", {"hnsw": {"space": "cosine", "ef_search": 100}})
    _sync(docs, store, embedder, settings)
    monkeypatch.undo()
    before, texts = store.current_manifest(), sorted(_texts(store).splitlines())
    assert before is not None
    planned = _sync(docs, store, embedder, settings, dry_run=True)
    assert "Indekset ville få de nuværende søgeindstillinger" in summary_text(planned)
    upgraded = _sync(docs, store, embedder, settings)
    assert "Indekset har fået de nuværende søgeindstillinger" in summary_text(upgraded)
    assert summary_json(upgraded)["search_upgraded"] is True
    snapshot = store.snapshot()
    assert snapshot is not None
    assert snapshot.collection.configuration["hnsw"]["ef_search"] == 1000
    assert snapshot.manifest.documents == before.documents
    assert snapshot.manifest.chunk_count == before.chunk_count
    assert sorted(_texts(store).splitlines()) == texts
    question = embedder.embed_query("Hvornår er fristen for § 18-puljen?")
    assert FRIST in dense_search(snapshot, question, 1, ["public"])[0][0].text
    again = _sync(docs, store, embedder, settings)
    assert store.current_manifest() == snapshot.manifest  # copied once, not at every sync
    assert "søgeindstillinger" not in summary_text(again)


def test_dry_run_counts_without_writing(tmp_path: Path, store: Store, embedder: Embedder,
                                        settings: Settings) -> None:
    docs = _folder(tmp_path)
    plan = _sync(docs, store, embedder, settings, dry_run=True)
    assert (plan.new, plan.dry_run, store.current_manifest()) == (5, True, None)
    _sync(docs, store, embedder, settings)
    (docs / "lokaler.html").unlink()
    write_markdown(docs / "ny.md", "Mentorstøtte gives til nye medarbejdere.\n")
    plan = _sync(docs, store, embedder, settings, dry_run=True)
    assert (plan.new, plan.changed, plan.removed, plan.unchanged) == (1, 0, 1, 4)
    assert "leje af egne lokaler" in _texts(store)  # still there: a dry run changes nothing


def test_a_dry_run_reads_the_files_it_would_embed(tmp_path: Path, store: Store,
                                                  embedder: Embedder, settings: Settings) -> None:
    # Counted without reading, a corrupt new file was "1 ny" and a document whose front
    # matter was deleted went unmentioned until the real sync made it public.
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    (docs / "skadet.pdf").write_bytes(b"%PDF-1.4 afbrudt")
    write_markdown(docs / "intern.md", "# Intern\n\nPointmodellen bruger skala 1-5 (kun internt).\n")
    plan = _sync(docs, store, embedder, settings, dry_run=True)
    assert (plan.new, plan.changed, plan.unchanged) == (0, 1, 4)
    assert [name for name, _ in plan.failed] == ["skadet.pdf"]
    assert plan.published == ["intern.md"]
    assert "skala 1-5" not in _texts(store, ("public",))  # a dry run changes nothing


def test_linked_files_and_folders_and_a_sidecar_left_behind(
        tmp_path: Path, store: Store, embedder: Embedder, settings: Settings) -> None:
    docs = _folder(tmp_path)
    elsewhere = tmp_path / "andetsted"
    (elsewhere / "haller").mkdir(parents=True)
    # A linked staff file with its sidecar beside the link: the sidecar was looked for
    # beside the target, and partners were quoted the code.
    (elsewhere / "beredskab.txt").write_text("Koden til Kondor-anlægget er 4711.\n", "utf-8")
    (docs / "beredskab.txt").symlink_to(elsewhere / "beredskab.txt")
    (docs / "beredskab.txt.yml").write_text("audience: internal\n", "utf-8")
    # A linked folder was passed over without a word.
    write_markdown(elsewhere / "haller" / "odder.md", "# Odder-puljen\n\nOdder-puljen støtter udstyr.\n")
    (docs / "haller").symlink_to(elsewhere / "haller")
    (docs / "haller" / "igen").symlink_to(docs)  # a loop is searched once
    summary = _sync(docs, store, embedder, settings)
    assert (summary.new, summary.failed) == (7, [])
    assert "Kondor" in _texts(store) and "Kondor" not in _texts(store, ("public",))
    assert "Odder-puljen støtter udstyr" in _texts(store, ("public",))
    # A staff document renamed leaves its sidecar behind, and is public now: said so.
    (docs / "loen.txt").write_text("Tillægget udgør 4.321 kr.\n", "utf-8")
    (docs / "loen.txt.yml").write_text("audience: internal\n", "utf-8")
    _sync(docs, store, embedder, settings)
    (docs / "loen.txt").rename(docs / "loen 2025.txt")
    summary = _sync(docs, store, embedder, settings)
    assert [name for name, _ in summary.failed] == ["loen.txt.yml"]
    assert "sidefil uden dokument" in summary.failed[0][1]
    # A link to a link that has an internal sidecar is internal too.
    (docs / "kaede.txt").symlink_to(docs / "beredskab.txt")
    _sync(docs, store, embedder, settings)
    assert "Kondor" not in _texts(store, ("public",))
    # A linked folder out of reach (a share gone) keeps what was indexed from it ...
    (elsewhere / "haller").rename(elsewhere / "flyttet")
    summary = _sync(docs, store, embedder, settings)
    assert "haller" in dict(summary.failed) and summary.removed == 0
    assert "Odder-puljen støtter udstyr" in _texts(store, ("public",))
    # ... but not through a rebuild for another model: its vectors are the old model's.
    manifest = store.current_manifest()
    assert manifest is not None
    store.backend.write_manifest(replace(manifest, model="x/y"))
    store._open.clear()
    summary = _sync(docs, store, embedder, settings, rebuild=True)
    assert summary.removed == 1 and "Odder-puljen" not in _texts(store)


def test_a_sync_that_would_remove_more_than_half_stops(tmp_path: Path, store: Store,
                                                       embedder: Embedder, settings: Settings) -> None:
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    first = store.current_manifest()
    empty = tmp_path / "tom"
    empty.mkdir()
    with pytest.raises(RemovalRefusedError, match="fjerne 5 af 5") as refused:
        _sync(empty, store, embedder, settings)
    assert refused.value.removal.names == ["intern.md", "lokaler.html", "pulje.md",
                                           "regnskab.pdf", "tjek.docx"]
    assert store.current_manifest() == first  # nothing changed
    plan = _sync(empty, store, embedder, settings, dry_run=True)
    assert plan.refused is not None and len(plan.refused.names) == 5
    for name in ("intern.md", "lokaler.html"):  # 2 of 5: not more than half
        (docs / name).unlink()
    summary = _sync(docs, store, embedder, settings)
    assert (summary.removed, summary.unchanged) == (2, 3)
    with pytest.raises(RemovalRefusedError, match="fjerne 2 af 3"):
        _sync(docs / "pulje.md", store, embedder, settings)
    summary = _sync(empty, store, embedder, settings, allow_removal=True)
    assert summary.removed == 3 and summary.chunks == 0
    assert store.current_manifest().documents == {}  # type: ignore[union-attr]


def test_a_sync_that_would_empty_one_folder_of_several_stops(
        tmp_path: Path, store: Store, embedder: Embedder, settings: Settings) -> None:
    # The smaller of two folders is on a share that was not mounted: it looks empty.
    docs, share = _folder(tmp_path), tmp_path / "share"
    share.mkdir()
    for name in ("a", "b"):
        write_markdown(share / f"{name}.md", f"# Pulje {name}\n\nPulje {name} har frist 1. maj.\n")

    def _sync_both(**options: bool):  # type: ignore[no-untyped-def]
        return sync_documents([docs, share], store, embedder, settings, **options)

    assert _sync_both().new == 7
    for name in ("a", "b"):  # renamed: the folder still has two documents
        (share / f"{name}.md").rename(share / f"{name}-2026.md")
    renamed = _sync_both()
    assert (renamed.removed, renamed.new) == (2, 2)
    first = store.current_manifest()
    for name in ("a", "b"):
        (share / f"{name}-2026.md").unlink()
    with pytest.raises(RemovalRefusedError, match=re.escape(f"fjerne 2 af 2 dokumenter fra {share} ")):
        _sync_both()  # 2 of 7 in the index, but every document of that folder
    assert store.current_manifest() == first
    assert _sync_both(dry_run=True).refused == Removal(["a-2026.md", "b-2026.md"], 2,
                                                       source=str(share))
    write_markdown(share / "a.md", "# Pulje a\n\nPulje a har frist 1. maj.\n")  # back
    assert _sync_both().removed == 2  # one of its two documents is back: half is left
    assert "Pulje a har frist" in _texts(store) and "Pulje b" not in _texts(store)


def test_a_share_linked_into_a_folder_that_comes_back_empty_stops_the_sync(
        tmp_path: Path, store: Store, embedder: Embedder, settings: Settings) -> None:
    # The share's documents are indexed by their real place, reached through a link in the
    # folder given; beside them a larger archive folder.
    docs, share, archive = _folder(tmp_path), tmp_path / "mnt" / "share", tmp_path / "arkiv"
    for folder, count in ((share, 6), (archive, 12)):
        folder.mkdir(parents=True)
        for n in range(count):
            write_markdown(folder / f"{folder.name}-{n}.md", f"# Note {n}\n\nNote {n} fra {folder.name}.\n")
    (docs / "share").symlink_to(share)
    assert sync_documents([docs, archive], store, embedder, settings).new == 23
    for n in range(6):
        (share / f"share-{n}.md").unlink()  # not mounted: the folder is there, empty
    with pytest.raises(RemovalRefusedError, match=re.escape(f"fjerne 6 af 11 dokumenter fra {docs} ")):
        sync_documents([docs, archive], store, embedder, settings)  # 6 of 23 in the index
    assert "Note 5 fra share" in _texts(store)
    # A share out of reach keeps its documents, but not through a rebuild for another
    # model (their vectors are the old model's): that rebuild stops for the same reason.
    share.rmdir()
    manifest = store.current_manifest()
    assert manifest is not None
    store.backend.write_manifest(replace(manifest, model="x/y"))
    store._open.clear()
    with pytest.raises(RemovalRefusedError, match=re.escape(f"fjerne 6 af 11 dokumenter fra {docs} ")):
        sync_documents([docs, archive], store, embedder, settings, rebuild=True)


def test_the_documents_a_sync_would_remove_are_named_in_danish() -> None:
    names = [f"{letter}.md" for letter in "abcdef"]
    assert Removal(names, 10).describe() == "a.md, b.md, c.md, d.md, e.md og 1 anden"
    assert Removal([*names, "g.md"], 10).describe().endswith("e.md og 2 andre")
    assert Removal(names[:5], 10).describe() == "a.md, b.md, c.md, d.md, e.md"


def test_bad_files_are_reported_and_the_rest_ingests(tmp_path: Path, store: Store,
                                                     embedder: Embedder, settings: Settings) -> None:
    docs = _folder(tmp_path)
    (docs / "skadet.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 40)
    (docs / "tom.docx").write_bytes(b"")
    summary = _sync(docs, store, embedder, settings)
    assert summary.new == 5
    assert sorted(name for name, _ in summary.failed) == ["skadet.pdf", "tom.docx"]
    assert all(reason for _, reason in summary.failed)


def test_a_changed_file_that_breaks_keeps_its_last_good_version(
    tmp_path: Path, store: Store, embedder: Embedder, settings: Settings
) -> None:
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    (docs / "regnskab.pdf").write_bytes(b"%PDF-1.4\nbroken")
    summary = _sync(docs, store, embedder, settings)
    assert [name for name, _ in summary.failed] == ["regnskab.pdf"]
    assert "revisorerklæring" in _texts(store)


def test_another_model_is_a_clear_error_until_rebuilt(tmp_path: Path, store: Store,
                                                      embedder: Embedder, settings: Settings) -> None:
    docs = _folder(tmp_path)
    _sync(docs, store, embedder, settings)
    manifest = store.current_manifest()
    assert manifest is not None
    tampered = manifest.__class__(**{**manifest.__dict__, "model": "some/other-model"})
    store.backend.write_manifest(tampered)
    store._open.clear()
    with pytest.raises(StoreError, match="--rebuild"):
        _sync(docs, store, embedder, settings)
    # A document that no longer loads cannot keep its old vectors: another model made them.
    (docs / "regnskab.pdf").write_bytes(b"%PDF-1.4\nbroken")
    summary = _sync(docs, store, embedder, settings, rebuild=True)
    assert (summary.changed, summary.removed) == (4, 1)
    assert [name for name, _ in summary.failed] == ["regnskab.pdf"]
    assert "revisorerklæring" not in _texts(store)
    rebuilt = store.current_manifest()
    assert rebuilt is not None and rebuilt.model == embedder.name


def test_second_sync_while_one_runs_is_refused(tmp_path: Path, store: Store, embedder: Embedder,
                                               settings: Settings) -> None:
    docs = _folder(tmp_path)
    with ingest_lock(settings.resolved_store_dir):
        with pytest.raises(IngestBusyError, match="kører allerede"):
            _sync(docs, store, embedder, settings)
    assert _sync(docs, store, embedder, settings).new == 5  # the lock is free again


def test_old_generations_are_dropped(tmp_path: Path, embedded_settings: Settings,
                                     embedder: Embedder) -> None:
    store = Store.from_settings(embedded_settings)
    docs = _folder(tmp_path)
    for n in range(4):
        write_markdown(docs / f"extra{n}.md", f"Ekstra dokument nummer {n} om foreninger.\n")
        _sync(docs, store, embedder, embedded_settings)
    generations = embedded_settings.resolved_store_dir / "generations"
    assert len([p for p in generations.iterdir() if p.is_dir()]) == 2  # current and previous


class _ReaderAtTheSwitch(EmbeddedBackend):
    """A store where a question arrives the moment a new generation becomes current."""

    store: Store

    def set_current(self, name: str) -> None:
        super().set_current(name)
        self.store.snapshot()


def test_a_question_arriving_as_the_generation_switches_is_answered(
        tmp_path: Path, embedded_settings: Settings, embedder: Embedder) -> None:
    backend = _ReaderAtTheSwitch(embedded_settings.resolved_store_dir)
    store = backend.store = Store(backend)
    _sync(_folder(tmp_path), store, embedder, embedded_settings)
    assert FRIST in _texts(store)  # the snapshot opened at the switch is still readable


class _Interrupted(BaseException):
    """Ctrl-C, or a share's error, while the old generations are deleted."""


class _InterruptedCleanup(EmbeddedBackend):
    """A store where deleting the first old generation is interrupted."""

    interrupted = False

    def drop(self, name: str) -> None:
        if not self.interrupted and name != self.current_name():
            self.interrupted = True
            raise _Interrupted(name)
        super().drop(name)


def test_an_interruption_after_the_switch_keeps_the_new_generation(
        tmp_path: Path, embedded_settings: Settings, embedder: Embedder) -> None:
    docs = _folder(tmp_path)
    store = Store(_InterruptedCleanup(embedded_settings.resolved_store_dir))
    for n in range(4):  # the third sync is the first with an old generation to drop
        write_markdown(docs / f"ny{n}.md", f"Ny side nummer {n} om lokaletilskud.\n")
        with contextlib.suppress(_Interrupted):
            _sync(docs, store, embedder, embedded_settings)
        # A new reader (the bot after a restart) finds the new generation whole.
        assert f"nummer {n} om" in _texts(Store.from_settings(embedded_settings))
    assert store.backend.interrupted  # type: ignore[attr-defined]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_articles_ingest(tmp_path: Path, store: Store, embedder: Embedder,
                              settings: Settings) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    summary = _sync(seeds, store, embedder, settings)
    assert summary.new == len(list(SEEDS.glob("*.txt"))) and summary.failed == []
    snapshot = store.snapshot()
    assert snapshot is not None
    best, _ = dense_search(snapshot, embedder.embed_query("skal det være nemt at samarbejde med kommunen"),
                           1, ["public"])[0]
    assert "administrativt let" in best.metadata["section"]


def test_a_file_gone_since_it_was_listed_is_a_clear_failure(tmp_path: Path,
                                                            settings: Settings) -> None:
    # The files are listed before a website is crawled, which can take minutes.
    from ingest.loader_process import LoaderProcess
    from ingest.models import DocumentFile

    gone = tmp_path / "slettet.md"
    with LoaderProcess(settings) as loader, pytest.raises(DocumentError, match="kunne ikke læses"):
        loader.load(DocumentFile(str(gone), str(gone), gone.name, "x"))
