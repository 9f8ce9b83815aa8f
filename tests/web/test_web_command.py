"""`indgang ingest URL` as an admin runs it: folders and sites together, and kill -9 mid-crawl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ingest.sync import DOWNLOADS_PREFIX
from ingest.web.state import WebState
from knowledge.index.store import Store
from knowledge.settings import Settings
from tests.cli import run_cli, store_env
from tests.sample_files import write_markdown
from tests.web.municipal_site import FRIST_18, NY_FRIST_18, PAGES
from tests.web.site_server import SiteServer
from tests.web.test_site_sync import indexed_text


def _env(settings: Settings) -> dict[str, str]:
    """The test's store and crawl limits."""
    return {**store_env(settings), "INDGANG_CRAWL_REQUESTS_PER_S": "0",
            "INDGANG_FETCH_TIMEOUT_S": str(settings.fetch_timeout_s),
            "INDGANG_FETCH_MAX_BYTES": str(settings.fetch_max_bytes)}


def indgang(settings: Settings, *args: str) -> subprocess.Popen[str]:
    """Start `indgang ingest ARGS` in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "ingest", "ingest", *args],
                            env={**os.environ, **_env(settings)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(settings: Settings, *args: str) -> tuple[int, dict[str, Any], str]:
    """Run `indgang ingest ARGS --json` in this process (see tests/cli.py)."""
    ran = run_cli("ingest", *args, "--json", env=_env(settings))
    return ran.returncode, json.loads(ran.stdout) if ran.stdout.strip() else {}, ran.stderr


def test_folders_and_sites_sync_together(tmp_path: Path, site: SiteServer,
                                         web_settings: Settings) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(2):
        write_markdown(docs / f"note-{n}.md", f"# Note {n}\n\nIntern note nummer {n} om tilskud.\n")
    code, summary, err = run(web_settings, str(docs), site.url("/tilskud/"), "--depth", "1")
    assert code == 1, err  # one page redirects to another host: named, the rest ingested
    assert (summary["new"], summary["removed"]) == (2 + 6, 0)
    assert [f["file"] for f in summary["failed"]] == [site.url("/tilskud/ekstern-pulje")]
    code, summary, _ = run(web_settings, str(docs), site.url("/tilskud/"), "--depth", "1")
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, 8)

    for bad, message in ((("--depth", "to"), "helt tal"), (("https://",), "gyldig webadresse")):
        code, _, err = run(web_settings, site.url("/tilskud/"), *bad)
        assert code == 2 and message in err.strip().splitlines()[-1] and "Traceback" not in err
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and len(manifest.documents) == 8  # nothing lost


def test_kill_9_mid_crawl_leaves_the_last_index_and_the_next_run_completes(
    site: SiteServer, web_settings: Settings
) -> None:
    sitemap = site.url("/sitemap.xml")
    _, summary, err = run(web_settings, sitemap)
    assert summary["new"] == len(PAGES), err
    site.change("/tilskud/paragraf-18-puljen", FRIST_18, NY_FRIST_18)
    site.delay_all_s = 0.5  # every page answers slowly: the crawl takes seconds
    mark = site.mark()
    process = indgang(web_settings, sitemap, "--json")
    deadline = time.monotonic() + 120
    while len([r for r in site.requests_since(mark) if r.path in PAGES]) < 3:
        assert time.monotonic() < deadline and process.poll() is None, "the crawl never started"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()

    # A fresh reader (as the bot would be) gets the last complete index; the state is whole.
    text = indexed_text(web_settings)
    assert FRIST_18 in text and NY_FRIST_18 not in text
    assert len(WebState.load(web_settings.resolved_store_dir).urls) >= len(PAGES)
    downloads = f"{DOWNLOADS_PREFIX}*"  # the killed sync's folder of linked files
    assert len(list(web_settings.resolved_store_dir.glob(downloads))) == 1

    site.delay_all_s = 0.0
    code, summary, err = run(web_settings, sitemap)
    assert code == 1 and len(summary["failed"]) == 2, err  # the standing ones: too large, other host
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 1, len(PAGES) - 1), err
    assert NY_FRIST_18 in indexed_text(web_settings) and FRIST_18 not in indexed_text(web_settings)
    manifest = Store.from_settings(web_settings).current_manifest()
    assert manifest is not None and manifest.chunk_count == summary["chunks"]
    assert list(web_settings.resolved_store_dir.glob(downloads)) == []  # swept, nothing left
