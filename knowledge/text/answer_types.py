"""What kind of fact a question asks for, and whether a text holds a fact of that kind.

Both sides are closed classes of the language, not phrasings of our questions: the
interrogatives and the nouns that name a kind of answer ("hvornår", "frist", "how much",
"beløb", "adresse", "hvem", "hvad hedder") on one side; dates, months, weekdays and
seasons, amounts with a currency or a percent sign or sums written bare in a sentence on
money ("afsat 200.000 til et tema"), durations with a unit of time, frequencies ("hvert
andet år"), e-mail addresses, phone numbers, postal addresses, the two ways Danish names
who does something (a cleft, a passive's agent) and titles in quotation marks on the
other. A question that names the fact it wants ("fristen", "beløbet") or asks how much is
not answered by a passage without one (but "på mail", "efter fristen" say how or when,
not what is asked); other interrogatives ("hvornår") only hint at it. A question asking
what is not so ("hvad støtter puljen ikke?") is answered by a text saying what is not
(is_negative): negation is a closed class too.
"""

from __future__ import annotations

import re
from typing import Literal

import simplemma

from knowledge.feedback.privacy import EMAIL, LABELLED_PHONE, PHONE
from knowledge.text.normalization import MONTHS
from knowledge.text.units import split_sentences

AnswerType = Literal["date", "amount", "count", "duration", "frequency", "contact", "address",
                     "agent", "name"]

_WEEKDAYS = r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag"
# A season as itself or its holiday ("foråret", "sommerferien"); in any other compound
# ("forårsfest") it names no time.
_SEASONS = (r"(?:forår|sommer|efterår|vinter)(?:en|et|s?ferie\w*)?|primo|medio|ultimo|"
            r"kvartal(?:et|er)?")
# A small count, in digits or words: "4 uger", "tre måneder", "et par timer", "nogle dage".
_FEW = r"(?:\d+|en|et|to|tre|fire|fem|seks|otte|tolv|fjorten|par|nogle)"
_TIME_UNITS = (r"dage?|dagen|uger?|ugers|måned(?:er)?|måneds|år|års|timer?|timers|minutter|"
               r"days?|weeks?|months?|years?|hours?")

# Nouns naming the kind of answer, matched inside compounds too ("ansøgningsfristen",
# "timesatsen", "tilskudsbeløbet"): Danish puts the head of a compound last. A question
# naming the fact it wants ("fristen", "beløbet") is not answered without one.
_NAMES: dict[AnswerType, str] = {
    "date": r"frist\w*|\bdeadline\w*|\bdato\w*|\bwhat date\b",
    "amount": r"beløb\w*|\bamount\b|\bcosts?\b|\bkoste[rt]?\b|\bpris(?:en)?\b|\bprocent\b|"
              r"\bpercent\w*|(?<!ind)sats(?:en|er)?\b|\brate\b",  # "indsats" is an effort
    "count": r"\bantal(?:let)?\b",
    "duration": r"\bvarighed\w*|\bhvor mange (?:timer|dage|uger|måneder|år)\b|"
                r"\bhow many (?:hours|days|weeks|months|years)\b",
    "frequency": r"\bhvor mange gange\b",
    "contact": r"\bkontakt\w*|\btelefon\w*|\btlf\w*|\bphone\b|\be-?mail\w*|\bcontact\b|"
               r"\bmail(?:en|adresse\w*)?\b|"  # "mail" as a noun; "mailes" is a way to send
               r"\bhvem (?:kan|skal) (?:jeg|vi) (?:ringe|skrive)|\bwho (?:do|can|should) (?:i|we) "
               r"(?:call|contact|write)",
    "address": r"\badresse\w*|\baddress\w*",
}
# Interrogatives hint at a kind of answer but do not fix it: "hvornår skal regnskabet
# have en revisorerklæring?" is answered by a condition ("over 50.000 kr."), "hvor
# længe" by "until ...". Only "how much" does (required_types), in money too ("hvor mange
# kroner"); "hvor stor" is as often a size or a degree ("hvor store krav").
_HOW_MUCH = r"\bhvor (?:meget|mange (?:penge|kroner|kr))\b|\bhow much\b"
_INTERROGATIVES: dict[AnswerType, str] = {
    "date": r"\bhvornår\b|\bwhen\b|\bhvilken dag\b",
    "amount": rf"{_HOW_MUCH}|\bhvor stort?e?\b",
    "count": r"\bhvor mange\b|\bhow many\b",
    "duration": r"\bhvor (?:længe|lang tid)\b|\bhow long\b",
    "frequency": r"\bhvor ofte\b|\bhvor tit\b|\bhow often\b",
    "address": r"\bhvor ligger\b",
    "agent": r"\bhvem\b|\bwho\b",
    "name": r"\bhvad hedder\b|\bnavnet på\b|\bname of\b|\bwhat is \w+(?: \w+)* called\b",
}
_NAMED = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in _NAMES.items()}
_ASKS_HOW_MUCH = re.compile(_HOW_MUCH, re.IGNORECASE)
_ASKS = {kind: re.compile("|".join(filter(None, [_NAMES.get(kind), _INTERROGATIVES.get(kind)])),
                          re.IGNORECASE) for kind in {**_NAMES, **_INTERROGATIVES}}

_HOLDS: dict[AnswerType, re.Pattern[str]] = {
    "date": re.compile(
        rf"\b\d{{1,2}}\.\s*(?:{MONTHS})\b|\b(?:{MONTHS})\b|\b(?:{_WEEKDAYS})\b|"
        rf"\b(?:{_SEASONS})\b|\b\d{{1,2}}[./]\d{{1,2}}(?:[./-]\d{{2,4}})?\b|"
        # with a hyphen only with its year: "1-3 fotos", "13-15 år" are ranges
        r"\b\d{1,2}-\d{1,2}-\d{2,4}\b|"
        # (a year alone is no date: "tilskud for 2025" names the period a rule holds for,
        # not when to do something)
        r"\bløbende\b|\bhele året\b|\buge \d{1,2}\b|"
        # a deadline relative to an event: "tre måneder efter endt projekt", "inden for 14 dage"
        rf"\b{_FEW}\s*(?:{_TIME_UNITS})\s+(?:efter|før|inden)\b|"
        rf"\b(?:inden for|senest)\s+{_FEW}\s*(?:{_TIME_UNITS})\b", re.IGNORECASE),
    # money, a share, or a size with its unit ("10 MB", "200 m2")
    "amount": re.compile(r"\d[\d.,]*\s*(?:kr\b|kr\.|kroner|dkk|mio|million\w*|mia|%|procent|"
                         r"[kmg]b\b|m2|m²|km\b|kg\b)|"
                         # a share as a fraction: "minimum ¼ af udgiften", "halvdelen af"
                         r"[¼½¾⅓⅔]|\b(?:en|to|tre) (?:fjerdedel|tredjedel)e?\b|\bhalvdelen af\b|"
                         r"(?:kr\.?|dkk)\s*\d|\bgratis\b|\bfree\b|\bvederlagsfri\w*|"
                         r"\buden beregning\b|\bkoster ikke noget\b|\bingen (?:betaling|gebyr|udgift)|"
                         r"\bno (?:charge|cost|fee)\b", re.IGNORECASE),
    "count": re.compile(r"\b\d+\b|\b(?:to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|"
                        r"tyve|hundrede)\b", re.IGNORECASE),
    # "over 60 år", "under 30 år" are ages, not how long something lasts
    "duration": re.compile(rf"(?<!over )(?<!under )(?<!fyldt )\b{_FEW}\s*(?:{_TIME_UNITS})\b",
                           re.IGNORECASE),
    "frequency": re.compile(r"\bhver[ts]?\b|\bårlig\w*|\bmånedlig\w*|\bugentlig\w*|"
                            r"\b(?:gang|gange) (?:om|i|pr\.?) (?:året|måneden|ugen|år)\b|"
                            r"\bevery\b|\bannual\w*|\bonce a\b", re.IGNORECASE),
    # or a way to reach someone (holds_contact_details)
    "contact": re.compile(r"\btlf\.?|\btelefon\b|\bkontakt\w*", re.IGNORECASE),
    # who does something: a cleft ("Det er jobcentret, der vurderer") or a passive's
    # agent ("kan søges af godkendte foreninger", "skal være underskrevet af bestyrelsen")
    "agent": re.compile(r"\bdet er (?:\w+ ){0,3}\w+,? (?:der|som)\b|\b\w{3,}es af\b|"
                        r"\b(?:er|være|blive[rt]?|blevet|blev) \w+e?t af\b", re.IGNORECASE),
    # a title in quotation marks: ”Overskud giver overskud”, »Gang i socialøkonomien«
    "name": re.compile(r"[\"”“„»«][A-ZÆØÅ][^\"”“„»«]{2,80}[\"”“„»«]"),
    # a Danish postcode and town ("6700 Esbjerg") or a street and number ("Exnersgade 33")
    "address": re.compile(r"\b\d{4} [A-ZÆØÅ][a-zæøå]+|\b[A-ZÆØÅ][a-zæøå]+(?:gade|vej|allé|plads|"
                          r"torv|stræde|vænge|boulevard)\s+\d+"),
}


# A sum written bare, with its thousands ("afsat 200.000 til et tema", "25.000,-"): the
# number is followed by nothing, a preposition or conjunction, its VAT or its period, in
# a sentence about money (_MONEY). A count has its noun after it ("10.000 indbyggere") or
# is about something else ("Der bor ca. 52.000 i kommunen").
_BARE_SUM = re.compile(
    r"\b\d{1,3}(?:\.\d{3})+(?:,00|,-)?(?![.,]?\d)(?=\s*(?:$|[.,;:()!?+]|(?:til|i|om|pr|per|på|"
    r"for|og|eller|fra|med|hvert|årlig\w*|inkl|ekskl|excl)\b))", re.IGNORECASE)
_MONEY = re.compile(r"tilskud|beløb|pulje|afsat|afsætte|støtte|bevilg|udbetal|budget|midl|"
                    r"penge|kost|pris|takst|løn|gebyr|betal|moms|uddel|grant|fund", re.IGNORECASE)

_ASKS_LIST = re.compile(r"\bhvilke\b|\bhvad for nogle\b|\bwhat (?:are|kinds?|types?)\b",
                        re.IGNORECASE)
# English "which" asks for several things only with a plural noun after it ("which
# documents"), not "which committee". Only the next word is read: the one after may be
# a verb ("which committee sets"), so "which political parties" is read as one thing.
_WHICH = re.compile(r"\bwhich\s+([a-z]+)", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:ikke|ingen|intet|aldrig|not|never)\b", re.IGNORECASE)
_NOT_A_COUNT = re.compile(r"§+\s*\d+|\bparagraf\s*\d+|\b\d+\s*-?\s*(?:midl|pulj)\w*|"
                          r"\b(?:19|20)\d{2}\b", re.IGNORECASE)


def asked_types(question: str) -> tuple[AnswerType, ...]:
    """Return the kinds of fact the question asks for (none for most questions).

    "hvem kan jeg kontakte?" asks for a contact, the more specific kind of "who".
    """
    kinds = tuple(kind for kind, pattern in _ASKS.items() if pattern.search(question))
    return tuple(kind for kind in kinds if kind != "agent" or "contact" not in kinds)


# A noun naming a kind can say how or when something is done rather than what is asked
# for: "kan vi sende ansøgningen på almindelig mail?" asks whether, not for an e-mail
# address, and "hvad sker der, hvis vi sender den efter fristen?" asks what happens, not
# for the date. Only a means of sending after a preposition of means, and a deadline
# after one of time, with at most one word between ("via hvilken mail" still asks).
_BETWEEN = r"\s+(?:(?!hvilke[nt]?\b|which\b|what\b)\w+\s+)?"
_CIRCUMSTANCES: dict[AnswerType, re.Pattern[str]] = {
    "contact": re.compile(rf"\b(?:på|via|pr\.|per|over|by){_BETWEEN}"
                          r"(?:e-?mail|mail|telefon(?:en)?|phone)\b", re.IGNORECASE),
    "date": re.compile(rf"\b(?:efter|før|inden|before|after){_BETWEEN}"
                       r"(?:\w*frist\w*|deadline)\b", re.IGNORECASE),
}


def _names_kind(question: str, kind: AnswerType) -> bool:
    """Return whether the question names the kind as what it asks for, not as how or
    when something is done (_CIRCUMSTANCES)."""
    circumstance = _CIRCUMSTANCES.get(kind)
    asked = circumstance.sub(" ", question) if circumstance else question
    return bool(_NAMED[kind].search(asked))


def required_types(question: str) -> tuple[AnswerType, ...]:
    """Return the kinds of fact an answer must hold.

    Those the question names ("fristen", "beløbet"), and an amount it asks for ("hvor
    meget", "how much"): what something costs or gives is answered by an amount (or
    "gratis") or not at all, where "hvornår" is often answered by a condition. A way of
    sending or a deadline named as how or when ("på mail", "efter fristen") is not
    required. Never a count ("antallet"): any number answers that, even "§ 18", so none
    can be required.
    """
    return tuple(kind for kind in _NAMED if kind != "count" and (
        _names_kind(question, kind) or kind == "amount" and _ASKS_HOW_MUCH.search(question)))


def is_negative(text: str) -> bool:
    """Return whether a text says what is not so ("Der ydes ikke tilskud til forplejning").

    A question asking what is not ("hvad støtter puljen ikke?", "what is not covered?")
    is answered by a negative statement, or by the items under a negative intro or
    heading ("Det støtter vi ikke"); a question without a negation by either.
    """
    return bool(_NEGATION.search(text))


def asks_for_list(question: str) -> bool:
    """Return whether the question asks for several things ("hvilke", "which documents")."""
    if _ASKS_LIST.search(question):
        return True
    which = _WHICH.search(question)
    return which is not None and _is_plural(which.group(1).lower())


def _is_plural(word: str) -> bool:
    """Return whether an English word is a plural ("parties", "documents"), not "was"."""
    lemma = simplemma.lemmatize(word, lang="en")
    return word != lemma and word in (f"{lemma}s", f"{lemma}es", f"{lemma[:-1]}ies")


def holds_contact_details(text: str) -> bool:
    """Return whether the text gives a way to reach someone: an e-mail address or a phone.

    Read as the scrubbing of personal data reads them: a Danish phone number in every
    grouping it is written in ("70 20 30 40", "70-20-30-40", "7020 3040"), also glued to
    its label ("Tlf.70203040") or after one as 2+3+3 ("telefon 70 220 230").
    """
    return any(pattern.search(text) for pattern in (EMAIL, PHONE, LABELLED_PHONE))


def holds_type(text: str, kind: AnswerType) -> bool:
    """Return whether the text holds a fact of the kind (a date, an amount ...)."""
    if kind == "count":  # "§ 18" and "2026" name things, they count nothing
        text = _NOT_A_COUNT.sub(" ", text)
    if kind == "contact" and holds_contact_details(text):
        return True
    if kind == "amount" and _holds_bare_sum(text):
        return True
    return bool(_HOLDS[kind].search(text))


def _holds_bare_sum(text: str) -> bool:
    """Return whether a sentence of the text gives a sum written bare and is about money."""
    return bool(_BARE_SUM.search(text)) and any(
        _BARE_SUM.search(sentence) and _MONEY.search(sentence)
        for line in text.splitlines() for sentence in split_sentences(line))
