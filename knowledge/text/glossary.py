"""English words of partners' questions, with the Danish words the documents use.

Keyword search and quote selection work on Danish terms, so an English question gets
these added; dense search needs nothing, the model is multilingual.
"""

from __future__ import annotations

import re

ENGLISH_TO_DANISH: dict[str, str] = {
    "grant": "tilskud", "grants": "tilskud", "funding": "tilskud midler", "funds": "midler",
    "subsidy": "tilskud", "pool": "pulje", "apply": "søge ansøgning", "application": "ansøgning",
    "deadline": "frist ansøgningsfrist", "deadlines": "frist ansøgningsfrist",
    "accounts": "regnskab", "accounting": "regnskab", "auditor": "revisor revisorerklæring",
    "audit": "revision revisorerklæring", "report": "afrapportering", "budget": "budget",
    "association": "forening", "associations": "foreninger", "club": "forening",
    "volunteer": "frivillig", "volunteers": "frivillige", "voluntary": "frivilligt",
    "individuals": "enkeltpersoner", "individual": "enkeltperson", "private": "privat private",
    "statutes": "vedtægter", "bylaws": "vedtægter", "documents": "dokumentation bilag",
    "child protection": "børneattest børneattester", "certificate": "attest",
    "certificates": "attester", "declare": "erklæring", "wage subsidy": "løntilskud",
    "work placement": "virksomhedspraktik", "internship": "virksomhedspraktik praktik",
    "pocket money": "lommepengejob lommepenge", "young people": "unge", "youth": "unge",
    "earn": "løn timeløn", "wage": "løn", "hourly": "timeløn", "mentor": "mentor mentorstøtte",
    "employer": "arbejdsgiver", "employers": "arbejdsgivere", "rate": "sats",
    "cooperation agreement": "samarbejdsaftale", "agreement": "aftale", "contract": "aftale",
    "social enterprise": "socialøkonomisk virksomhed", "social enterprises":
    "socialøkonomiske virksomheder", "development pool": "udviklingspulje",
    "elderly": "ældre", "older people": "ældre", "pensioners": "pensionister",
    "contact": "kontakt", "phone": "tlf telefon", "email": "mail", "municipality": "kommune",
    "job centre": "jobcenter", "job center": "jobcenter", "business service": "erhvervsservice",
    "principles": "principper", "strategy": "strategi", "repay": "tilbage tilbagebetale",
    "unused": "ubrugte", "how long": "varighed", "weeks": "uger", "hours": "timer",
    "months": "måneder", "amount": "beløb", "maximum": "højst", "who decides": "afgørelse",
}
_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ENGLISH_TO_DANISH), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def danish_terms_for(question: str) -> str:
    """Return the Danish words for the English domain words in a question ("" if none)."""
    return " ".join(ENGLISH_TO_DANISH[m.lower()] for m in _PATTERN.findall(question))
