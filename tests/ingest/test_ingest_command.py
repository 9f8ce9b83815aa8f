"""`indgang ingest` as an admin runs it: JSON contract, exit codes, the lock, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.locking import ingest_lock
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store, all_chunks, dense_search
from knowledge.settings import Settings
from tests.cli import run_cli, store_env
from tests.sample_files import write_markdown


# Root reads any file whatever its mode; run as root, a command run so cannot.
WITHOUT_ROOT_OVERRIDE = (("setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                          "--inh-caps", "-dac_override,-dac_read_search")
                         if os.geteuid() == 0 else ())


def indgang(*args: str, settings: Settings, prefix: tuple[str, ...] = ()
            ) -> subprocess.Popen[str]:
    """Start the real command line in a process of its own (prefix: a command that runs it)."""
    return subprocess.Popen([*prefix, sys.executable, "-m", "ingest", *args],
                            env={**os.environ, **store_env(settings)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(*args: str, settings: Settings, extra_env: dict[str, str] | None = None,
        cwd: Path | None = None) -> tuple[int, str, str]:
    """Run the real command line in this process (see tests/cli.py)."""
    ran = run_cli(*args, env={**store_env(settings), **(extra_env or {})}, cwd=cwd)
    return ran.returncode, ran.stdout, ran.stderr


def _docs(root: Path, count: int = 3) -> Path:
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    for n in range(count):
        write_markdown(docs / f"pulje-{n}.md",
                       f"# Pulje {n}\n\nPulje nummer {n} har ansøgningsfrist den {n + 1}. marts.\n",
                       title=f"Pulje {n}", updated="2025-05-01")
    return docs


def test_json_summary_contract(tmp_path: Path, settings: Settings) -> None:
    docs = _docs(tmp_path)
    code, out, _ = run("ingest", str(docs), "--json", settings=settings)
    assert code == 0
    summary = json.loads(out)
    assert {k: summary[k] for k in ("new", "changed", "removed", "unchanged", "failed")} == {
        "new": 3, "changed": 0, "removed": 0, "unchanged": 0, "failed": []}
    assert summary["chunks"] == 3 and summary["published"] == []
    (docs / "pulje-0.md").unlink()
    code, out, _ = run("ingest", str(docs), "--json", settings=settings)
    assert json.loads(out)["removed"] == 1 and json.loads(out)["chunks"] == 2


def test_a_document_for_staff_made_public_is_named(tmp_path: Path, settings: Settings) -> None:
    docs = _docs(tmp_path)
    note = "# Intern note\n\nKoden til nøgleboksen er 4711.\n"
    write_markdown(docs / "noegleboks.md", note, audience="internal")
    assert run("ingest", str(docs), settings=settings)[0] == 0
    write_markdown(docs / "noegleboks.md", note)  # its front matter deleted by mistake
    code, out, _ = run("ingest", str(docs), "--dry-run", settings=settings)
    assert code == 0 and "1 dokument(er) er kun for medarbejdere og ville blive offentlige" in out
    code, out, _ = run("ingest", str(docs), settings=settings)
    assert code == 0 and "1 dokument(er) var kun for medarbejdere og er nu offentlige" in out
    assert "  - noegleboks.md" in out


def test_bad_file_is_named_and_the_exit_code_says_so(tmp_path: Path,
                                                     embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    (docs / "skadet.pdf").write_bytes(b"%PDF-1.7\n\x00\x01 not really a pdf")
    code, out, _ = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 1
    assert summary["new"] == 3
    assert [f["file"] for f in summary["failed"]] == ["skadet.pdf"]
    assert "beskadiget" in summary["failed"][0]["reason"]
    code, out, _ = run("ingest", str(docs), settings=embedded_settings)
    assert code == 1 and "skadet.pdf: PDF'en er beskadiget" in out


def test_dry_run_names_what_would_change_and_writes_nothing(tmp_path: Path,
                                                            embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    code, out, _ = run("ingest", str(docs), "--dry-run", settings=embedded_settings)
    assert code == 0
    assert "Tørkørsel" in out and "3 nye, 0 ændrede, 0 fjernede, 0 uændrede" in out
    assert "Nye:\n  - pulje-0.md\n  - pulje-1.md\n  - pulje-2.md" in out
    assert Store.from_settings(embedded_settings).current_manifest() is None
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    write_markdown(docs / "pulje-1.md", "# Pulje 1\n\nFristen er flyttet til 1. maj.\n")
    (docs / "pulje-2.md").unlink()
    write_markdown(docs / "pulje-3.md", "# Pulje 3\n\nPulje nummer 3 er ny.\n")
    code, out, _ = run("ingest", str(docs), "--dry-run", settings=embedded_settings)
    assert code == 0 and "1 nye, 1 ændrede, 1 fjernede, 1 uændrede" in out
    assert ("Nye:\n  - pulje-3.md\nÆndrede:\n  - pulje-1.md\n"
            "Ville blive fjernet:\n  - pulje-2.md") in out
    code, out, _ = run("ingest", str(docs), "--dry-run", "--json", settings=embedded_settings)
    assert json.loads(out)["files"] == {
        "new": ["pulje-3.md"], "changed": ["pulje-1.md"], "removed": ["pulje-2.md"]}


def test_second_ingestion_refuses_while_one_runs(tmp_path: Path,
                                                 embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    with ingest_lock(embedded_settings.resolved_store_dir):  # held by this process
        process = indgang("ingest", str(docs), settings=embedded_settings)
        _, err = process.communicate(timeout=300)
    assert process.returncode == 2
    assert "En anden indlæsning kører allerede" in err and "Traceback" not in err


def test_missing_path_is_a_clear_message(tmp_path: Path, embedded_settings: Settings) -> None:
    code, _, err = run("ingest", str(tmp_path / "findes-ikke"), settings=embedded_settings)
    assert code == 2 and "Stien findes ikke" in err and "Traceback" not in err
    # A script reading --json gets one object too.
    code, out, _ = run("ingest", str(tmp_path / "findes-ikke"), "--json", settings=embedded_settings)
    assert code == 2 and "Stien findes ikke" in json.loads(out)["error"]
    code, out, _ = run("ingest", str(tmp_path), "--json", settings=embedded_settings,
                       extra_env={"INDGANG_CHUNK_SIZE_CHARS": "abc"})
    assert code == 2 and "INDGANG_CHUNK_SIZE_CHARS" in json.loads(out)["error"]


def test_empty_names_and_other_schemes_are_refused_before_anything_runs(
        tmp_path: Path, embedded_settings: Settings) -> None:
    # "" would mean the current folder: an admin's unset shell variable ("$DIR").
    for arguments, said in ((["ingest", ""], "tom sti"), (["ingest", "--store", "", "x"], "tom"),
                            (["ingest", "ftp://127.0.0.1/"], "kun http- og https"),
                            (["ingest", "--max-pages", "0", "x"], ">= 1"),
                            (["ask", "  "], "Skriv et spørgsmål")):
        code, _, err = run(*arguments, settings=embedded_settings, cwd=tmp_path)
        assert code == 2 and said in err and "Traceback" not in err, (arguments, err)
    assert not (embedded_settings.resolved_store_dir / "CURRENT").exists()


def test_office_files_that_are_not_read_are_reported_from_a_folder(
        tmp_path: Path, embedded_settings: Settings) -> None:
    docs = _docs(tmp_path, count=1)
    (docs / "gammel-vejledning.doc").write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    (docs / "logo.png").write_bytes(b"\x89PNG")  # not a document: passed over
    code, out, _ = run("ingest", str(docs), settings=embedded_settings)
    assert code == 1 and "gammel-vejledning.doc: filtypen .doc understøttes ikke" in out
    assert "logo.png" not in out


def test_a_damaged_index_is_named_in_one_line_and_rebuild_mends_it(
        tmp_path: Path, embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    generations = embedded_settings.resolved_store_dir / "generations"
    for manifest in generations.glob("*.json"):
        manifest.write_text("{halvt skrevet", "utf-8")  # a disk that filled up, a bad copy
    for command in (["ask", "hvornår er fristen for pulje 1"], ["ingest", str(docs)]):
        code, _, err = run(*command, settings=embedded_settings)
        assert code == 2 and "--rebuild" in err and "Traceback" not in err, err
    assert run("ingest", str(docs), "--rebuild", settings=embedded_settings)[0] == 0
    code, out, _ = run("ask", "hvornår er fristen for pulje 1", settings=embedded_settings)
    assert code == 0 and "2. marts" in out
    # A damaged feedback database is one line too.
    embedded_settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    embedded_settings.database_path.write_text("ikke en database", "utf-8")
    code, _, err = run("report", settings=embedded_settings)
    assert code == 2 and "Spørgsmålsdatabasen" in err and "Traceback" not in err, err


def _big_corpus(docs: Path, count: int) -> None:
    text = " ".join(f"Afsnit {i} beskriver regler for tilskud og regnskab i foreningen." for i in range(25))
    for n in range(count):
        write_markdown(docs / f"bilag-{n:03d}.md", f"# Bilag {n}\n\n{text}\n\n## Frist\n\n{text}\n",
                       title=f"Bilag {n}")


def _wait_for_new_generation(store_dir: Path, before: set[str], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        folders = {p.name for p in (store_dir / "generations").iterdir() if p.is_dir()}
        if folders - before:
            return
        time.sleep(0.05)
    raise AssertionError("the ingestion never started writing a new generation")


def _assert_answers_from(settings: Settings, embedder: Embedder, expected_chunks: int) -> None:
    """A fresh reader (as the bot would be) answers from the last complete index."""
    store = Store.from_settings(settings)
    snapshot = store.snapshot()
    assert snapshot is not None
    assert snapshot.manifest.chunk_count == expected_chunks == len(all_chunks(snapshot, ["public"]))
    best, _ = dense_search(snapshot, embedder.embed_query("hvornår er fristen for pulje 1"), 1,
                           ["public"])[0]
    assert best.metadata["file"].startswith("pulje-")


def _start_and_kill(docs: Path, settings: Settings, after_generation_s: float | None) -> None:
    """Start an ingestion and kill -9 it: at a fixed time, or once it writes a generation."""
    store_dir = settings.resolved_store_dir
    before = {p.name for p in (store_dir / "generations").iterdir() if p.is_dir()}
    process = indgang("ingest", str(docs), "--json", settings=settings)
    if after_generation_s is None:
        time.sleep(1.0)  # still loading the model and reading files
    else:
        _wait_for_new_generation(store_dir, before, process)
        time.sleep(after_generation_s)
    assert process.poll() is None, "ingestion finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_kill_9_leaves_the_last_index_answering(tmp_path: Path, embedded_settings: Settings,
                                                embedder: Embedder) -> None:
    settings = embedded_settings
    docs = _docs(tmp_path)
    assert run("ingest", str(docs), settings=settings)[0] == 0
    _big_corpus(docs, 60)
    for after_generation_s in (None, 1.0):
        _start_and_kill(docs, settings, after_generation_s)
        _assert_answers_from(settings, embedder, expected_chunks=3)

    code, out, _ = run("ingest", str(docs), "--json", settings=settings)
    summary = json.loads(out)
    assert code == 0 and summary["new"] == 60 and summary["unchanged"] == 3
    generations = settings.resolved_store_dir / "generations"
    assert len([p for p in generations.iterdir() if p.is_dir()]) == 2  # leftovers cleaned away
    manifest = Store.from_settings(settings).current_manifest()
    assert manifest is not None and manifest.chunk_count == summary["chunks"] > 60


SECRET = "Pointmodellen giver højst 5 point for frivillig indsats i foreningen."


def _chunk_texts(settings: Settings, audiences: list[str]) -> str:
    snapshot = Store.from_settings(settings).snapshot()
    assert snapshot is not None
    return "\n".join(row.text for row in all_chunks(snapshot, audiences))  # type: ignore[arg-type]


def test_unreadable_metadata_and_binary_files_never_reach_partners(
    tmp_path: Path, embedded_settings: Settings
) -> None:
    docs = _docs(tmp_path)
    (docs / "kolon.md").write_text(  # the colon in the title makes the YAML invalid
        f"---\ntitle: Intern: pointmodel\naudience: internal\n---\n# Pointmodel\n\n{SECRET}\n",
        "utf-8")
    (docs / "notat.txt").write_text(f"Notat om pointmodellen for sagsbehandlere\n\n{SECRET}\n",
                                    "utf-8")
    (docs / "notat.txt.yml").write_text("- audience: internal\n", "utf-8")  # not a mapping
    (docs / "binary.md").write_bytes(SECRET.encode("utf-8") + b"\n\x00\x01\x02\x03")
    (docs / "side.html").write_bytes(f"<p>{SECRET}</p>".encode() + bytes(range(1, 32)) * 200)
    code, out, err = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 1 and summary["new"] == 3, err
    failed = {f["file"]: f["reason"] for f in summary["failed"]}
    assert sorted(failed) == ["binary.md", "kolon.md", "notat.txt", "side.html"]
    assert "front matter er ikke gyldig YAML" in failed["kolon.md"]
    assert "notat.txt.yml" in failed["notat.txt"]
    assert "binær" in failed["binary.md"] and "binær" in failed["side.html"]
    assert all("\n" not in reason for reason in failed.values())
    assert "Pointmodellen" not in _chunk_texts(embedded_settings, ["public", "internal"])
    code, out, _ = run("ask", "hvor mange point giver pointmodellen for frivillig indsats",
                       "--json", settings=embedded_settings)
    answer = json.loads(out)
    assert code == 0 and "Pointmodellen" not in answer["answer"] and "5 point" not in answer["answer"]


def test_broken_metadata_keeps_the_last_good_version(tmp_path: Path,
                                                     embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    intern = write_markdown(docs / "intern.md", f"# Pointmodel\n\n{SECRET}\n",
                            title="Pointmodel", audience="internal")
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    intern.write_text(f"---\ntitle: Intern: pointmodel\naudience: internal\n---\n# Pointmodel\n\n"
                      f"{SECRET} Ny udgave.\n", "utf-8")
    code, out, _ = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 1 and [f["file"] for f in summary["failed"]] == ["intern.md"]
    assert SECRET in _chunk_texts(embedded_settings, ["internal"])
    assert "Ny udgave" not in _chunk_texts(embedded_settings, ["internal"])
    assert "Pointmodellen" not in _chunk_texts(embedded_settings, ["public"])


def test_bad_values_get_defaults_and_the_document_is_ingested(
    tmp_path: Path, embedded_settings: Settings
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "frist.md").write_text(
        "---\ntitle: [en, liste]\nupdated: 2026-13-45\ncontact: {navn: Ib}\naudience: public\n"
        "---\n# Frister for puljen\n\nAnsøgninger skal være modtaget senest 1. marts.\n", "utf-8")
    code, out, err = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 0 and summary["new"] == 1 and summary["failed"] == [], err
    assert "2026-13-45" in err and "Traceback" not in err
    assert "updated='2026-13-45' er ikke en dato" in err  # warnings are Danish first too
    manifest = Store.from_settings(embedded_settings).current_manifest()
    assert manifest is not None
    (record,) = manifest.documents.values()
    assert (record.title, record.updated, record.contact) == ("Frister for puljen", "", "")


def test_an_empty_or_wrong_folder_does_not_empty_the_index(tmp_path: Path,
                                                          embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    before = Store.from_settings(embedded_settings).current_manifest()
    empty = tmp_path / "tom"
    empty.mkdir()
    fifo = tmp_path / "noter.txt"
    os.mkfifo(fifo)
    for target in (empty, fifo):
        code, out, err = run("ingest", str(target), settings=embedded_settings)
        assert code == 2 and out == "" and "Traceback" not in err
        assert "fjerne 3 af 3 dokumenter" in err and "pulje-0.md, pulje-1.md, pulje-2.md" in err
        assert "--allow-removal" in err and "Tjek stierne og webadresserne" in err
        assert Store.from_settings(embedded_settings).current_manifest() == before
    code, out, err = run("ingest", str(empty), "--dry-run", settings=embedded_settings)
    assert code == 2 and "3 fjernede" in out and "ville fjerne 3 af 3" in err
    code, out, _ = run("ingest", str(empty), "--dry-run", "--json", settings=embedded_settings)
    assert json.loads(out)["removal_refused"] == {
        "remove": 3, "indexed": 3, "files": ["pulje-0.md", "pulje-1.md", "pulje-2.md"],
        "source": None}  # the whole index
    code, out, _ = run("ingest", str(empty), "--json", settings=embedded_settings)
    assert code == 2 and json.loads(out)["removal_refused"]["remove"] == 3  # scripts get JSON
    code, out, _ = run("ingest", str(empty), "--allow-removal", "--json", settings=embedded_settings)
    assert code == 0 and json.loads(out)["removed"] == 3 and json.loads(out)["chunks"] == 0
    assert "--allow-removal" in run_cli("ingest", "--help").stdout


def test_a_rebuild_that_cannot_read_most_files_names_them(tmp_path: Path,
                                                          embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    store = Store.from_settings(embedded_settings)
    manifest = store.current_manifest()
    assert manifest is not None
    store.backend.write_manifest(manifest.__class__(**{**manifest.__dict__, "model": "gammel/model"}))
    for n in (0, 1):  # front matter that cannot be read fails the file
        (docs / f"pulje-{n}.md").write_text("---\naudience: [intern\n---\n# Pulje\n", "utf-8")
    code, out, err = run("ingest", str(docs), "--rebuild", settings=embedded_settings)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "fjerne 2 af 3 dokumenter" in err and "Tjek stierne" not in err
    assert "  - pulje-0.md: " in err and "  - pulje-1.md: " in err and "Ret filerne" in err


def test_a_fifo_in_a_folder_is_reported_not_waited_for(tmp_path: Path,
                                                       embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    os.mkfifo(docs / "noter.txt")
    os.mkfifo(docs / "pulje-1.md.yml")  # a sidecar that would never finish reading
    code, out, _ = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 1 and summary["new"] == 2
    assert sorted(f["file"] for f in summary["failed"]) == ["noter.txt", "pulje-1.md"]
    assert all("almindelig fil" in f["reason"] for f in summary["failed"])


def test_a_file_the_system_will_not_read_is_reported_and_the_rest_ingests(
        tmp_path: Path, embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    # A read error root gets too (permissions do not stop root): /proc/self/mem answers a
    # read at its start with an I/O error, as a failing network share would.
    (docs / "notat.txt").symlink_to("/proc/self/mem")
    code, out, err = run("ingest", str(docs), "--json", settings=embedded_settings)
    assert "Traceback" not in err
    summary = json.loads(out)
    assert code == 1 and summary["new"] == 3
    assert [f["reason"] for f in summary["failed"]] == [
        "filen kunne ikke læses: Input/output error (the file could not be read)"]
    # A sidecar that cannot be read is named as the culprit, not its readable document.
    (docs / "notat.txt").unlink()
    (docs / "pulje-0.md.yml").symlink_to("/proc/self/mem")
    code, out, _ = run("ingest", str(docs), "--json", settings=embedded_settings)
    assert code == 1 and [(f["file"], f["reason"]) for f in json.loads(out)["failed"]] == [
        ("pulje-0.md", "sidefilen pulje-0.md.yml kunne ikke læses: Input/output error "
                       "(the sidecar could not be read)")]


def test_a_folder_the_system_will_not_list_is_reported_and_its_documents_kept(
        tmp_path: Path, embedded_settings: Settings) -> None:
    # Searched with rglob, an unreadable folder looked empty: its documents were removed,
    # and partners lost their answers, with nothing reported.
    docs = _docs(tmp_path)
    halls = docs / "haller"
    halls.mkdir()
    write_markdown(halls / "ugle.md", "# Ugle-hallen\n\nUgle-hallen har åbent til kl. 22.\n")
    assert run("ingest", str(docs), settings=embedded_settings)[0] == 0
    halls.chmod(0)
    try:
        process = indgang("ingest", str(docs), "--json", settings=embedded_settings,
                          prefix=WITHOUT_ROOT_OVERRIDE)
        out, err = process.communicate(timeout=600)
        code = process.returncode
    finally:
        halls.chmod(0o755)
    assert "Traceback" not in err
    summary = json.loads(out)
    assert code == 1 and (summary["removed"], summary["unchanged"]) == (0, 4)
    assert [(f["file"], f["reason"].split(";")[0]) for f in summary["failed"]] == [
        ("haller/", "mappen kunne ikke læses: Permission denied")]


def _write_text_mb(path: Path, megabytes: float) -> Path:
    line = "Foreningen sender regnskabet senest 1. april.\n"
    path.write_text(line * int(megabytes * 1_000_000 / len(line.encode())), "utf-8")
    return path


def test_a_huge_file_is_reported_and_the_rest_ingests(tmp_path: Path,
                                                      embedded_settings: Settings) -> None:
    docs = _docs(tmp_path)
    _write_text_mb(docs / "arkiv.txt", 50)
    code, out, err = run("ingest", str(docs), "--json", settings=embedded_settings)
    summary = json.loads(out)
    assert code == 1 and summary["new"] == 3, err
    assert [f["file"] for f in summary["failed"]] == ["arkiv.txt"]
    assert "for stor: 50 MB, grænsen er 20 MB (INDGANG_MAX_FILE_MB)" in summary["failed"][0]["reason"]


def test_a_file_over_the_time_budget_is_stopped_and_the_rest_ingests(
    tmp_path: Path, embedded_settings: Settings
) -> None:
    docs = _docs(tmp_path)
    # About 4 MB of HTML: several seconds to parse here, far over a budget of 1 s.
    body = "".join(f"<h2>Afsnit {n}</h2><p>Regnskabet for tilskud {n} afleveres 1. april.</p>\n"
                   for n in range(40_000))
    (docs / "arkiv.html").write_text(f"<html><body><main>{body}</main></body></html>", "utf-8")
    code, out, err = run("ingest", str(docs), "--json", settings=embedded_settings,
                         extra_env={"INDGANG_MAX_LOAD_S": "1"})
    summary = json.loads(out)
    assert code == 1 and summary["new"] == 3, err  # the files after it load in a new worker
    assert [f["file"] for f in summary["failed"]] == ["arkiv.html"]
    assert "tog mere end 1 s" in summary["failed"][0]["reason"]
