"""Question -> Answer: quotes copied verbatim from the sources, or an honest "not found"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from knowledge.access import Role, audiences_for
from knowledge.answers.answer import Answer, Citation, Quote
from knowledge.answers.calibration import CALIBRATION, Calibration
from knowledge.answers.evidence import Evidence, assess
from knowledge.answers.focus import mentions, passage_terms
from knowledge.answers.follow_up import SHORT_QUESTION_WORDS, Conversation
from knowledge.answers.quoting import choose_quotes
from knowledge.answers.retrieval import Mode, Retrieval, Retriever
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store, chunk_position, following_chunk_id, sibling_chunk_id
from knowledge.models import MAX_QUESTION_CHARS, Passage
from knowledge.settings import Settings
from knowledge.text import glossary
from knowledge.text.keyword_index import KeywordIndex, QueryTerms, address_words
from knowledge.text.language import Language, detect_language
from knowledge.text.normalization import terms, visible_line
from knowledge.text.units import continue_list, ends_in_list, list_intro, starts_in_list



class Answerer:
    """Answers questions from the current index; safe to share between threads."""

    def __init__(self, retriever: Retriever, embedder: Embedder, settings: Settings,
                 calibration: Calibration = CALIBRATION) -> None:
        self.retriever = retriever
        self.embedder = embedder
        self.settings = settings
        self.calibration = calibration

    @classmethod
    def from_settings(cls, settings: Settings) -> Answerer:
        """Build the answerer with its store and model (the model loads on first use)."""
        embedder = Embedder(settings)
        return cls(Retriever(Store.from_settings(settings), embedder), embedder, settings)

    def warm_up(self) -> None:
        """Load the model and build the keyword indexes now, not in someone's first answer."""
        self.embedder.embed_query("varm op")
        glossary.warm_up()
        detect_language("varm op")
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
        question = visible_line(question)[:MAX_QUESTION_CHARS]
        language = detect_language(question)
        search_text = conversation.search_text(question) if conversation else question
        retrieval = self.retriever.search(search_text, role, mode=mode)
        evidence = assess(search_text, retrieval, language, self.calibration, asked=question)
        if conversation and search_text != question:
            alone = self._as_new_subject(question, role, mode, language, retrieval,
                                         conversation.topic_document)
            if alone is not None:
                search_text, (retrieval, evidence) = question, alone
            elif not evidence.found:
                retrieval, evidence = self._within_topic(question, search_text, retrieval,
                                                         evidence, language,
                                                         conversation.topic_document)
        elif conversation and conversation.turns and (
                not evidence.found or not retrieval.terms.known) and (
                len(question.split()) <= SHORT_QUESTION_WORDS):
            # "hvordan søger vi": no answer alone, so perhaps one about the subject before
            # it, as a question with no word of the documents ("hvor meget?") can only be.
            # Its own words must still be held (assess, asked).
            topical = conversation.with_topic(question)
            leaning = self.retriever.search(topical, role, mode=mode)
            found = assess(topical, leaning, language, self.calibration, asked=question)
            if not found.found:
                leaning, found = self._within_topic(question, topical, leaning, found, language,
                                                    conversation.topic_document)
            if found.found:
                search_text, retrieval, evidence = topical, leaning, found
        follow_up = search_text != question
        if evidence.found:
            # The topic of a follow-up steers retrieval; what is asked now picks the quotes
            # ("og mentor?" after løntilskud: the mentor sentences, not the rates),
            # unless it asks in words the index does not know ("og hvad med det?").
            own = retrieval.terms_of(question) if follow_up else retrieval.terms
            asked = own if own.known else retrieval.terms
            answer = self._grounded(question, language, retrieval, asked, evidence)
        else:
            answer = Answer(question, language, False,
                            contact=self._contact(retrieval, evidence),
                            evidence=evidence, candidates=retrieval.passages)
        if conversation is not None:
            # A new question's topic is the question with the title of the source it names
            # (an overview page quoted first would pull a follow-up its way); a follow-up
            # keeps the topic it continues, answered or not, and an unanswered new question
            # is its own.
            named = _named_source(answer, retrieval.terms)
            if follow_up:
                conversation.continue_topic(question)
            elif named:
                conversation.remember(question, f"{question}\n{named.title}", named.doc_key)
            else:
                conversation.remember(question, question)
        return answer

    def _grounded(self, question: str, language: Language, retrieval: Retrieval,
                  asked: QueryTerms, evidence: Evidence) -> Answer:
        count, chunks = self.calibration.quote_passages, self.calibration.list_chunks
        focused = [*(_list_introduced(_list_completed(p, retrieval.keyword, chunks),
                                      retrieval.keyword)
                     for p in evidence.focused[:count]), *evidence.focused[count:]]
        # Focus may have taken passages from below the top ones (the named page's).
        top = {p.chunk_id for p in retrieval.passages}
        passages = [*retrieval.passages, *(p for p in focused if p.chunk_id not in top)]
        quotes = choose_quotes(question, asked, passages, focused, self.calibration)
        # A source is cited as quoted from: with a completed list, the text quoted holds it.
        read = {passage.chunk_id: passage for passage in focused}
        cited = [read.get(p.chunk_id, p) for p in passages]
        used = list(dict.fromkeys(quote.passage for quote in quotes))
        numbers = {rank: n for n, rank in enumerate(used, start=1)}
        citations = [Citation(numbers[rank], cited[rank], self._is_stale(cited[rank].updated))
                     for rank in used]
        renumbered = [Quote(q.text, numbers[q.passage]) for q in quotes]
        return Answer(question, language, True, renumbered, citations,
                      contact=self.settings.contact, evidence=evidence,
                      candidates=retrieval.passages)

    def _as_new_subject(self, question: str, role: Role, mode: Mode, language: Language,
                        retrieval: Retrieval, document: str) -> tuple[Retrieval, Evidence] | None:
        """Return a follow-up searched and assessed alone, when it asks about another subject.

        It does when a word of it that the topic's document never mentions names the
        document the question alone finds, in its title or address, and that search finds
        an answer: "hvad med lommepengejob?" after the § 18 deadline. "og hvornår er
        fristen?" after løntilskud names no document by "frist", and "og hvor lang tid?"
        none by "tid": they keep their topic. Words the index does not know say nothing,
        nor does a topic that is no document (an unanswered question) or not one here.
        """
        topic = retrieval.keyword.document_terms(document) if retrieval.keyword else set()
        if not topic:
            return None
        unmentioned = [t for t in retrieval.terms_of(question).known if not mentions(t, topic)]
        if not unmentioned:
            return None
        alone = self.retriever.search(question, role, mode=mode)
        top = alone.passages[0] if alone.passages else None
        if top is None or top.doc_key == document:
            return None
        names = set(terms(f"{top.title} {address_words({'url': top.url, 'file': top.file})}"))
        if not any(mentions(term, names) for term in unmentioned):
            return None
        evidence = assess(question, alone, language, self.calibration)
        return (alone, evidence) if evidence.found else None

    def _within_topic(self, question: str, search_text: str, retrieval: Retrieval,
                      evidence: Evidence, language: Language,
                      document: str) -> tuple[Retrieval, Evidence]:
        """Return a follow-up's retrieval narrowed to the sections of its topic's document
        whose headings name what it asks, when they answer it alone; else as given.

        The topic steers the search to what the question before it asked about ("hvor
        meget er løntilskuddet pr. time?": the rates); a follow-up asking something else
        of the same document ("og hvordan søger vi?") is about its section on that ("Sådan
        søger virksomheden om løntilskud"). A heading names what its section is about; a
        word anywhere in a passage may be used in another sense ("... som kan bruges til at
        søge et almindeligt fritidsjob").
        """
        own = retrieval.terms_of(question)
        part = [p for p in retrieval.passages if p.doc_key == document
                and any(mentions(term, set(terms(p.section))) for term in own.known)]
        # Every word it asks with must be there: "og kan vi søge om forlængelse?" is not
        # answered by the section on applying, which says nothing of an extension, nor is
        # a Danish follow-up with a word the documents never use ("om forskud?"). (Every
        # word of an English one is unknown to the index but those the glossary gives.)
        held = set().union(*(passage_terms(p) for p in part))
        if not part or not all(mentions(term, held) for term in own.known) or (
                language == "da" and own.unknown):
            return retrieval, evidence
        narrowed = replace(retrieval, passages=part)
        found = assess(search_text, narrowed, language, self.calibration, asked=question)
        return (narrowed, found) if found.found else (retrieval, evidence)

    def _is_stale(self, updated: date | None) -> bool:
        return updated is not None and (date.today() - updated).days > self.settings.stale_after_days

    def _contact(self, retrieval: Retrieval, evidence: Evidence) -> str:
        """Return the owner of a near-miss document when there is one, else the way in."""
        if evidence.near_miss and retrieval.passages and retrieval.passages[0].contact:
            return retrieval.passages[0].contact
        return self.settings.contact


def _named_source(answer: Answer, query: QueryTerms) -> Passage | None:
    """Return the source a new question is about: the one whose title names most of its
    words, the first cited on a tie.

    An overview page quoted first (the year's deadlines, for "hvornår er fristen for 18
    puljen?") is not what the conversation is about; the § 18 page, named, is. Titles
    only: an address's path ("/erhverv/") names a section of the site, not the subject.
    """
    sources = [citation.passage for citation in answer.citations]
    if not sources:
        return None
    named = [sum(mentions(term, set(terms(p.title))) for term in query.known) for p in sources]
    return max(zip(sources, named), key=lambda pair: pair[1])[0]


def _list_completed(passage: Passage, keyword: KeywordIndex | None, most_chunks: int) -> Passage:
    """Return the passage with a list that chunking cut completed from the next chunks.

    The next chunks are read from the keyword index, which holds the same audiences' chunks.
    """
    if keyword is None or not ends_in_list(passage.text):
        return passage
    text, chunk_id = passage.text, passage.chunk_id
    for _ in range(most_chunks):
        chunk_id = following_chunk_id(chunk_id)
        following = keyword.row(chunk_id)
        if following is None or following.metadata.get("section", "") != passage.section:
            break
        longer = continue_list(text, following.text)  # unchanged once the list has ended
        if longer == text:
            break
        text = longer
    return replace(passage, text=text)


def _list_introduced(passage: Passage, keyword: KeywordIndex | None) -> Passage:
    """Return the passage with the intro of a list that chunking cut before it.

    A chunk in the middle of a long list starts with items: quoted without the line
    introducing them ("Der ydes ikke tilskud til:"), they say the opposite of what the
    page says, or nothing. The intro is read back through the list's chunks before, in
    its section.
    """
    if keyword is None or not starts_in_list(passage.text):
        return passage
    chunk_id = passage.chunk_id
    while chunk_position(chunk_id) > 0:
        chunk_id = sibling_chunk_id(chunk_id, chunk_position(chunk_id) - 1)
        previous = keyword.row(chunk_id)
        if previous is None or previous.metadata.get("section", "") != passage.section:
            break
        intro = list_intro(previous.text)
        if intro is None:
            break
        if intro:
            return replace(passage, text=f"{intro}\n{passage.text}")
    return passage
