"""Everything the bot says, Danish first, rendered as Telegram HTML (all text escaped)."""

from __future__ import annotations

import re
from html import escape, unescape

from bot.small_talk import is_english, small_talk
from ingest.models import Removal, SyncSummary
from knowledge.index.manifest import DocumentRecord, Manifest
from knowledge.models import MAX_QUESTION_CHARS, Passage
from knowledge.text.units import reflowed

COMMANDS = [
    ("start", "Hvad Indgang kan hjælpe med"),
    ("hjaelp", "Sådan stiller du et spørgsmål"),
    ("kontakt", "Kommunens indgang for foreninger og virksomheder"),
    ("kilder", "De dokumenter, svarene bygger på"),
    ("glem", "Slet det, der er gemt om mig"),
]
ADMIN_COMMANDS = [
    ("reindex", "Genindlæs dokumenterne (administrator)"),
    ("status", "Indeks, spørgsmål og feedback (administrator)"),
]
# /kilder lists at most this many documents (a website can give thousands).
MAX_LISTED_DOCUMENTS = 40


def welcome(keep_days: int) -> str:
    """Return the /start reply, with how long questions are kept."""
    return (
        "Hej! Jeg er <b>Indgang</b>, kommunens indgang for foreninger, frivillige "
        "organisationer og virksomheder.\n\n"
        "Spørg mig om tilskud og puljer (fx § 18), frister, regnskab og revision, vedtægter, "
        "børneattester, løntilskud, praktik, mentorstøtte og lommepengejob. Jeg svarer kun med "
        "kommunens egne ord og viser kilden.\n\n"
        "Skriv fx: <i>Hvornår er fristen for § 18-puljen?</i>\n"
        "/hjaelp viser mere. <i>English questions are welcome too.</i>\n\n"
        "<i>Jeg gemmer ikke dit navn eller nummer. Spørgsmål uden svar og din 👍/👎 gemmes uden "
        f"personoplysninger i højst {keep_days} dage, så svarene kan blive bedre; /glem sletter "
        "dem med det samme.</i>"
    )


def _help(buttons: str, groups: str, commands: str) -> str:
    return (
        "<b>Sådan bruger du Indgang</b>\n"
        "• Skriv dit spørgsmål med almindelige ord, gerne kort.\n"
        f"• Svaret er citater fra kommunens dokumenter med kilde og dato.{buttons}\n"
        "• Står svaret ikke i dokumenterne, siger jeg det og fortæller, hvem du kan spørge.\n"
        f"• Du kan stille et opfølgende spørgsmål, fx <i>og hvad med fristen?</i>\n{groups}\n"
        "/kontakt kommunens indgang · /kilder dokumenterne · /glem slet det, der er gemt om dig"
        f"{commands}"
    )


HELP = _help(" Tryk på 📄 for at se hele afsnittet, og på 👍 eller 👎 for at sige, om svaret "
             "hjalp.", "• I en gruppe svarer jeg, når du nævner mig eller svarer på min besked.\n",
             "")
CHAT_HELP = _help("", "", " · /stop slut")  # the terminal chat has no buttons and no groups


def instead_of_answer(text: str) -> str | None:
    """Return the reply to a message not answered from the documents, else None: one too
    long to read whole, a greeting, a thank-you or a nod."""
    if len(text) > MAX_QUESTION_CHARS:
        return too_long(MAX_QUESTION_CHARS)
    kind = small_talk(text)
    if kind is None:
        return None
    if is_english(text):
        opening = {"greeting": "Hello! ", "thanks": "You're welcome! ", "other": ""}[kind]
        return (f"{opening}Ask your question about the municipality's pools, grants and "
                "requirements, e.g. <i>When is the deadline for the § 18 pool?</i> /hjaelp "
                "shows more.")
    opening = {"greeting": "Hej! ", "thanks": "Selv tak! ", "other": ""}[kind]
    return (f"{opening}Skriv dit spørgsmål om kommunens puljer, tilskud og krav, fx "
            "<i>Hvornår er fristen for § 18-puljen?</i> /hjaelp viser mere. "
            "<i>(Ask your question; English is fine.)</i>")


def unknown_command(text: str, help_text: str = HELP) -> str:
    """Return the reply to a command the bot does not know: say so, then the help."""
    name = text.split(maxsplit=1)[0].split("@")[0]
    return f"Kommandoen {escape(name)} kender jeg ikke (unknown command).\n\n{help_text}"


ADMIN_ONLY = "Den kommando er kun for administratorer."
ADMIN_PRIVATE_ONLY = ("Den kommando virker kun i en privat chat med mig, for svaret kan "
                      "nævne interne dokumenter.")
NOT_TEXT = "Jeg kan kun læse tekst. Skriv dit spørgsmål med ord, så hjælper jeg gerne."
ERROR = "Beklager, der gik noget galt hos mig. Prøv igen om lidt."
NOT_READY = "Jeg har ingen dokumenter at svare ud fra endnu. Prøv igen senere."
FEEDBACK_THANKS = "Tak for din vurdering!"
FEEDBACK_ALREADY = "Du har allerede vurderet dette svar. Tak!"
FEEDBACK_NOT_ASKER = "Kun den, der stillede spørgsmålet, kan vurdere svaret."
FEEDBACK_UNKNOWN = "Det spørgsmål kender jeg ikke længere, så vurderingen er ikke gemt."
BUTTON_UNKNOWN = "Den knap virker ikke længere. Stil gerne dit spørgsmål igen."
SOURCE_GONE = "Dokumenterne er opdateret siden svaret, så afsnittet findes ikke længere. Spørg igen."
REINDEX_STARTED = "Genindlæsningen er startet. Jeg skriver, når den er færdig."
REINDEX_RUNNING = "Der kører allerede en genindlæsning. Jeg skriver, når den er færdig."
BUTTON_HELPFUL = "👍"
BUTTON_UNHELPFUL = "👎"


def button_source(number: int) -> str:
    """Return the label of the button that shows a source passage."""
    return f"📄 Kilde {number}"


def too_long(max_chars: int) -> str:
    """Return the reply to a question over the length the bot reads."""
    limit = f"{max_chars:,}".replace(",", ".")
    return (f"Dit spørgsmål er meget langt (over {limit} tegn). Skriv det gerne kort, fx "
            "<i>Skal vi have revisorerklæring på regnskabet?</i>")


def vote_outcome(outcome: str) -> str:
    """Return the short answer to a 👍/👎 press ("recorded", "already", "not_asker", "unknown")."""
    return {"recorded": FEEDBACK_THANKS, "already": FEEDBACK_ALREADY,
            "not_asker": FEEDBACK_NOT_ASKER}.get(outcome, FEEDBACK_UNKNOWN)


def rate_limited(wait_s: float) -> str:
    """Return the reply to a user who asks faster than the limit allows."""
    seconds = max(1, round(wait_s))
    return (f"Du har stillet mange spørgsmål på kort tid. Vent {seconds} "
            f"{'sekund' if seconds == 1 else 'sekunder'}, og spørg så igen. Indtil da svarer "
            "jeg ikke.")


def contact(way_in: str) -> str:
    """Return the /kontakt reply."""
    return ("<b>Kommunens indgang for foreninger og virksomheder</b>\n"
            f"{escape(way_in)}\n\nDu kan også bare skrive dit spørgsmål her.")


def forgotten(rows: int) -> str:
    """Return the /glem reply."""
    return (f"Jeg har slettet det, der var gemt om dig ({rows} rækker), og glemt vores samtale.")


def documents(manifest: Manifest | None, records: list[DocumentRecord]) -> str:
    """Return the /kilder reply: the documents answers come from, with dates.

    A website gives thousands of pages: past MAX_LISTED_DOCUMENTS only the most recently
    updated are listed, with the count, so the reply stays one or two messages.
    """
    if manifest is None or not records:
        return NOT_READY
    lines = ["<b>Svarene bygger på disse dokumenter:</b>"]
    if len(records) > MAX_LISTED_DOCUMENTS:
        lines = [f"<b>Svarene bygger på {len(records)} dokumenter. "
                 f"De {MAX_LISTED_DOCUMENTS} senest opdaterede:</b>"]
        records = sorted(records, key=lambda r: r.updated, reverse=True)[:MAX_LISTED_DOCUMENTS]
    for record in sorted(records, key=lambda r: r.title.lower()):
        updated = _date(record.updated)
        title = escape(record.title)
        link = f'<a href="{escape(record.url)}">{title}</a>' if record.url else title
        lines.append(f"• {link}" + (f" ({updated})" if updated else ""))
    return "\n".join(lines)


def status(manifest: Manifest | None, model: str, questions: int, not_found: int,
           helpful: int, unhelpful: int) -> str:
    """Return the /status reply for admins."""
    index = (f"{len(manifest.documents)} dokumenter, {manifest.chunk_count} tekststykker, "
             f"sidst indlæst {escape(manifest.created_at)} (generation {manifest.generation})"
             if manifest else "tomt")
    return ("<b>Status</b>\n"
            f"Indeks: {index}\n"
            f"Sprogmodel: {escape(model)}\n"
            f"Spørgsmål: {questions}, heraf ikke fundet: {not_found}\n"
            f"Feedback: {helpful} 👍, {unhelpful} 👎")


def reindex_done(summary: SyncSummary) -> str:
    """Return the report sent to the admin when a reindex has finished."""
    text = (f"Genindlæsning færdig: {summary.new} nye, {summary.changed} ændrede, "
            f"{summary.removed} fjernede, {summary.unchanged} uændrede dokumenter. "
            f"Indekset har {summary.chunks} tekststykker.")
    if summary.search_upgraded:
        text += f"\n{summary.search_note()}"
    if summary.failed:
        text += "\nKunne ikke indlæses:\n" + "\n".join(
            f"• {escape(name)}: {escape(reason)}" for name, reason in summary.failed)
    return text + published(summary)


def published(summary: SyncSummary) -> str:
    """Return the warning that documents for staff only are now public ("" when none are)."""
    if not summary.published:
        return ""
    return (f"\n\n<b>{escape(summary.published_warning())}</b>\n"
            + "\n".join(f"• {escape(name)}" for name in summary.published))


def nightly_report(summary: SyncSummary | None, error: str | None) -> str:
    """Return what admins are told when the nightly sync could not read everything, or
    published documents that were for staff only."""
    if summary is None:
        return ("<b>Nattens genindlæsning kunne ikke gennemføres</b> (the nightly sync failed): "
                f"{escape(error or '')}\nSvarene bygger fortsat på den sidste gode udgave.")
    counts = (f"{summary.new} nye, {summary.changed} ændrede, {summary.removed} fjernede, "
              f"{summary.unchanged} uændrede dokumenter.")
    if not summary.failed:
        return f"<b>Nattens genindlæsning</b>: {counts}" + published(summary)
    return (f"<b>Nattens genindlæsning: {len(summary.failed)} kunne ikke hentes eller læses</b> "
            "(could not be fetched or read). Det, der var indlæst før, bruges stadig.\n"
            + "\n".join(f"• {escape(name)}: {escape(reason)}" for name, reason in summary.failed)
            + f"\n\nResten er opdateret: {counts}" + published(summary))


def reindex_refused(removal: Removal) -> str:
    """Return the reason a reindex stopped: it would have removed most of the documents
    (of the index or of one source)."""
    return (f"den ville fjerne {removal.extent()} ({removal.describe()}), mere end "
            "halvdelen. Intet er ændret. Tjek mapperne og "
            "adresserne i INDGANG_SOURCE_DIRS og INDGANG_SOURCE_URLS; skal dokumenterne "
            "virkelig fjernes, så kør indgang ingest --allow-removal på serveren.")


def reindex_failed(reason: str) -> str:
    """Return the report sent to the admin when a reindex could not run."""
    return f"Genindlæsningen kunne ikke gennemføres: {escape(reason)}"


def passage_html(passage: Passage) -> str:
    """Return a whole source passage, for the 📄 button."""
    heading = passage.title + (f" - {passage.section}" if passage.section else "")
    return f"<b>{escape(heading)}</b>\n\n{escape(reflowed(passage.text))}"


def plain_text(html: str) -> str:
    """Return reply HTML as plain text, links as "text (url)"."""
    text = re.sub(r'<a href="([^"]*)">([^<]*)</a>', r"\2 (\1)", html)
    return unescape(re.sub(r"<[^>]+>", "", text))


def _date(iso: str) -> str:
    return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}" if len(iso) >= 10 else ""
