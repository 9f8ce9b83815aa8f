"""Rebuild bench/realpages/pages/ from the URLs in manifest.jsonl.

The page texts are not committed (they are other people's text). The texts
used when the questions were written were stored public copies, and only the
first ~2000 characters of each page. A fresh download gives the whole page as
it looks today: longer, and possibly changed or gone. Every question's "must"
phrases were checked against the stored excerpts, so re-check them after a
fresh download (see README.md).

Usage: python bench/realpages/fetch_pages.py [--force]
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"


def extract_text(html: str) -> str:
    try:
        import trafilatura
    except ImportError:
        trafilatura = None
    if trafilatura is not None:
        text = trafilatura.extract(html, include_links=False, include_tables=True)
        if text:
            return text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": "indgang-bench/1.0"})
    with urllib.request.urlopen(request, timeout=30) as response:
        charset = response.headers.get_content_charset() or "utf-8"
        return response.read().decode(charset, errors="replace")


def main(argv: list[str]) -> int:
    force = "--force" in argv
    PAGES.mkdir(exist_ok=True)
    failed = 0
    for line in (HERE / "manifest.jsonl").read_text("utf-8").splitlines():
        entry = json.loads(line)
        target = PAGES / entry["file"]
        if target.exists() and not force:
            continue
        try:
            text = extract_text(fetch(entry["url"]))
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
            print(f"FAILED {entry['file']}: {error}", file=sys.stderr)
            failed += 1
            continue
        target.write_text(text, encoding="utf-8")
        print(f"ok {entry['file']} ({len(text)} chars)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
