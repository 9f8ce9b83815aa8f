"""Question -> Answer: quotes copied verbatim from the sources, or an honest "not found"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from knowledge.conversation import Conversation
from knowledge.embeddings import Embedder
from knowledge.evidence import Evidence, assess
from knowledge.language import Language, detect_language
from knowledge.models import Passage
from knowledge.phrases import phrase
from knowledge.quoting import Quote, choose_quotes
from knowledge.retrieval import Mode, Retrieval, Retriever, Role, audiences_for
from knowledge.settings import Settings
from knowledge.store import Store

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Source:
    """A cited document: what a person needs to find and judge it."""

    number: int
    passage: Passage
    stale: bool

    @property
    def stale_year(self) -> int | None:
        """Return the year of a stale source's last update."""
        return self.passage.updated.year if self.stale and self.passage.updated else None


@dataclass(frozen=True)
class Answer:
    """A grounded answer: quotes with source numbers, or found=False and a contact."""

    question: str
    language: Language
    found: bool
    quotes: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    contact: str = ""
    evidence: Evidence | None = None
    candidates: list[Passage] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the answer as plain text (the command line and the terminal chat)."""
        return render_text(self)


class Answerer:
    """Answers questions from the current index; safe to share between threads."""

    def __init__(self, retriever: Retriever, embedder: Embedder, settings: Settings) -> None:
        self.retriever = retriever
        self.embedder = embedder
        self.settings = settings

    @classmethod
    def from_settings(cls, settings: Settings) -> Answerer:
        """Build the answerer with its store and model (the model loads on first use)."""
        embedder = Embedder(settings)
        return cls(Retriever(Store.from_settings(settings), embedder), embedder, settings)

    def warm_up(self) -> None:
        """Load the model and build the keyword indexes now, not in someone's first answer."""
        self.embedder.embed_query("varm op")
        snapshot = self.retriever.store.snapshot()
        if snapshot is not None:
            for role in ("partner", "staff"):
                self.retriever.keyword_index(snapshot, audiences_for(role))  # type: ignore[arg-type]

    def answer(self, question: str, role: Role = "partner",
               conversation: Conversation | None = None, mode: Mode = "hybrid") -> Answer:
        """Answer a question for a partner or a member of staff.

        Args:
            question: as the person wrote it; follow-ups use the conversation.
            role: partners never get internal documents (enforced in the store query).
            conversation: the person's recent turns, updated with this one.
            mode: retrieval mode; "dense" and "keyword" exist for evaluation.
        """
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        language = detect_language(question)
        search_text = conversation.search_text(question) if conversation else question
        retrieval = self.retriever.search(search_text, role, mode=mode)
        evidence = assess(search_text, retrieval, language)
        if evidence.found:
            answer = self._grounded(question, language, retrieval, evidence)
        else:
            answer = Answer(question, language, False,
                            contact=self._contact(retrieval, evidence),
                            evidence=evidence, candidates=retrieval.passages)
        if conversation is not None:
            # The answer's documents are the topic; unanswered, a follow-up keeps the old
            # topic (the last line of its search text) and a new question becomes one.
            titles = dict.fromkeys(source.passage.title for source in answer.sources)
            conversation.remember(question, "; ".join(titles) or search_text.split("\n")[-1])
        return answer

    def _grounded(self, question: str, language: Language, retrieval: Retrieval,
                  evidence: Evidence) -> Answer:
        # The topic of a follow-up steers retrieval; what is asked now picks the quotes.
        quotes = choose_quotes(question, retrieval.terms, retrieval.passages, retrieval.keyword)
        used = list(dict.fromkeys(quote.passage for quote in quotes))
        numbers = {rank: n for n, rank in enumerate(used, start=1)}
        sources = [Source(numbers[rank], retrieval.passages[rank],
                          self._is_stale(retrieval.passages[rank].updated)) for rank in used]
        renumbered = [Quote(q.text, numbers[q.passage]) for q in quotes]
        return Answer(question, language, True, renumbered, sources,
                      contact=self.settings.contact, evidence=evidence,
                      candidates=retrieval.passages)

    def _is_stale(self, updated: date | None) -> bool:
        return updated is not None and (date.today() - updated).days > self.settings.stale_after_days

    def _contact(self, retrieval: Retrieval, evidence: Evidence) -> str:
        """Return the owner of a near-miss document when there is one, else the way in."""
        if evidence.near_miss and retrieval.passages and retrieval.passages[0].contact:
            return retrieval.passages[0].contact
        return self.settings.contact


def source_label(source: Source, language: Language) -> str:
    """Return "title - section (page n), updated dd.mm.yyyy" for a source."""
    passage = source.passage
    label = passage.title + (f" - {passage.section}" if passage.section else "")
    details = []
    if passage.page is not None:
        details.append(phrase("page", language, page=passage.page))
    if passage.updated is not None:
        details.append(phrase("updated", language, date=passage.updated.strftime("%d.%m.%Y")))
    return f"{label} ({', '.join(details)})" if details else label


def render_text(answer: Answer) -> str:
    """Return the answer as plain text with numbered quotes and sources."""
    language = answer.language
    if not answer.found:
        return "\n".join([phrase("not_found", language),
                          phrase("ask_contact", language, contact=answer.contact)])
    lines = [phrase("intro", language), ""]
    lines += [f"{quote.text} [{quote.passage}]" for quote in answer.quotes]
    lines += ["", phrase("sources", language)]
    for source in answer.sources:
        lines.append(f"[{source.number}] {source_label(source, language)}")
        if source.passage.url:
            lines.append(f"    {source.passage.url}")
        if source.stale_year:
            lines.append(f"    {phrase('stale', language, year=source.stale_year)}")
    return "\n".join(lines)
