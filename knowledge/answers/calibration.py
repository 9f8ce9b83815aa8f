"""Every threshold and weight of the answer step, in one place, with the model it was fitted for.

The figures depend on the embedding model: a similarity of 0.85 means something else
with another model. They were fitted on the question sets in bench/ (README,
"Calibration"); with another model, measure again with `indgang eval` before trusting
the "not found" decisions.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Calibration(BaseModel):
    """The fitted constants of retrieval, the evidence check and quote selection."""

    model_config = ConfigDict(frozen=True)

    fitted_for_model: str = Field(
        default="intfloat/multilingual-e5-small",
        description="The embedding model the similarity thresholds were fitted with.")
    # Retrieval
    dense_weight: float = Field(
        default=0.8, description="Weight of the normalised dense score in the fusion; "
        "the keyword score gets the rest.")
    candidates: int = Field(
        default=30, description="Chunks each side (dense, keyword) returns before fusion.")
    # Evidence
    min_dense: dict[str, float] = Field(
        default={"da": 0.85, "en": 0.80},
        description="Lowest best dense similarity that can count as an answer, per language.")
    near_miss_dense: float = Field(
        default=0.87, description="Above this similarity an unanswered question is a near "
        "miss: its topic is in the documents, so the document's own contact is given.")
    specific_word_chars: int = Field(
        default=8, description="An unknown Danish word this long or longer names something "
        "the documents do not cover; shorter unknown words are everyday words.")
    common_name_share: float = Field(
        default=0.05, description="A name in this share of the chunks or more names the "
        "municipality or its framework, not what the question is about.")
    evidence_passages: int = Field(
        default=3, description="Top passages that must mention the question's years and names.")
    # Quote selection
    passage_rank_weights: tuple[float, ...] = Field(
        default=(1.0, 0.8, 0.65),
        description="Weight of a sentence by the rank of its passage; also how many of the "
        "top passages quotes may come from.")
    max_quotes: int = Field(default=3, description="Most sentences or list items quoted.")
    min_share_of_best: float = Field(
        default=0.6, description="A sentence is quoted only if it scores at least this "
        "share of the best sentence.")
    answer_type_bonus: float = Field(
        default=1.5, description="Added to a sentence that holds what the question asks for "
        "(a date for 'when', an amount for 'how much', a contact for 'who').")
    compound_weight: float = Field(
        default=0.7, description="Credit for a compound ending in a question term "
        "('ansøgningsfrist' for 'frist') relative to the term itself.")
    min_compound_head: int = Field(
        default=4, description="Shortest question term matched as a compound's last part.")


CALIBRATION = Calibration()
