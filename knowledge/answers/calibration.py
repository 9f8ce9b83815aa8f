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
    min_similarity: dict[str, float] = Field(
        default={"da": 0.845, "en": 0.82},
        description="Lowest dense similarity of the best passage that can count as "
        "an answer, per language.")
    unfamiliar_word_margin: float = Field(
        default=0.025, description="Added to that floor when the question names something the "
        "top passages do not mention or uses long words the documents never use.")
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
    quote_passages: int = Field(default=5, description="Top passages quotes may come from.")
    max_quotes: int = Field(default=5, description="Most units (sentences, list items) chosen.")
    max_list_lines: int = Field(
        default=12, description="Most lines of a list quoted whole (its intro and items).")
    list_chunks: int = Field(
        default=3, description="Most following chunks a list cut by chunking is completed from.")
    context_sentences: int = Field(
        default=1, description="Sentences on each side of the best unit quoted with it, in "
        "place of the lowest-scoring sentences chosen.")
    list_item_chars: int = Field(
        default=300, description="In a list quoted whole, an item longer than this is cut "
        "after its first sentences (the item that answers best is quoted whole).")
    answer_type_bonus: float = Field(
        default=0.3, description="Added to a unit holding the kind of fact the question asks "
        "for (a date for 'hvornår', an amount for 'hvor meget', a list item for 'hvilke', "
        "what is not so for 'hvad støtter puljen ikke?').")
    section_bonus: float = Field(
        default=1.0, description="Added to the units under the heading a question counts to "
        "('det første princip': '1. Politisk ejerskab'), whose text need not share a word "
        "with the question.")
    passage_rank_penalty: float = Field(
        default=0.05, description="Taken from a unit's score per rank its passage is below the first.")
    quote_margin: float = Field(
        default=0.8, description="A unit is chosen only if it scores within this of the best.")
    compound_weight: float = Field(
        default=0.7, description="Credit for a compound ending in a question term "
        "('ansøgningsfrist' for 'frist') relative to the term itself.")
    min_compound_head: int = Field(
        default=4, description="Shortest question term matched as a compound's last part.")


CALIBRATION = Calibration()
