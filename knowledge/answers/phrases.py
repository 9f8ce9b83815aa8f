"""The only text of an answer that is not quoted from a source, in Danish and English."""

from __future__ import annotations

from knowledge.text.language import Language

PHRASES: dict[str, dict[Language, str]] = {
    "intro": {
        "da": "Det står der i kommunens dokumenter:",
        "en": "This is what the municipality's documents say (quoted in Danish):",
    },
    "sources": {"da": "Kilder:", "en": "Sources:"},
    "not_found": {
        "da": "Det kan jeg desværre ikke finde i kommunens dokumenter, og jeg vil ikke gætte.",
        "en": "I can't find that in the municipality's documents, and I won't guess.",
    },
    "ask_contact": {
        "da": "Spørg i stedet her: {contact}",
        "en": "Please ask here instead: {contact}",
    },
    "stale": {
        "da": "Kilden er fra {year}: tjek om reglerne er ændret.",
        "en": "The source is from {year}: check whether the rules have changed.",
    },
    "page": {"da": "side {page}", "en": "page {page}"},
    "updated": {"da": "opdateret {date}", "en": "updated {date}"},
    "empty_question": {
        "da": "Skriv dit spørgsmål, så finder jeg svaret i kommunens dokumenter.",
        "en": "Write your question and I'll look for the answer in the municipality's documents.",
    },
}


def phrase(key: str, language: Language, **values: object) -> str:
    """Return a fixed phrase in the language, with values filled in."""
    return PHRASES[key][language].format(**values)
