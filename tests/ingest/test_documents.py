"""Every format loads with its headings, pages and metadata; bad files say why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from ingest.dates import date_in_text, is_date_line
from ingest.documents import load_document
from ingest.loaders.text import guess_title
from ingest.models import LoadedDocument
from ingest.web.documents import file_meta, page_document
from ingest.web.extract import extract_page
from knowledge.errors import DocumentError
from tests.conftest import REPO, SEEDS
from tests.sample_files import (
    write_docx,
    write_html,
    write_markdown,
    write_pdf,
    write_protected_pdf,
    write_scanned_pdf,
)
from tests.web.municipal_site import CHROME, page

REAL_STYLE = REPO / "tests" / "realstyle"

REGNSKAB = "Regnskabet for tilskuddet skal være kommunen i hænde senest 1. april året efter."
REVISOR = "Ved tilskud over 50.000 kr. skal regnskabet have en revisorerklæring."


def _text(document: LoadedDocument) -> str:
    """Return a loaded document's text as the index gets it, its sections in order."""
    return "\n".join(section.text for section in document.sections)


def test_markdown_front_matter_and_heading_paths(tmp_path: Path) -> None:
    path = write_markdown(
        tmp_path / "pulje.md",
        "# § 18-puljen\n\nIntro.\n\n## Frister\n\nSøg senest 1. marts.\n\n### Svar\n\nSvar i maj.\n",
        title="§ 18-puljen", url="https://example.test/18", audience="public",
        updated="2025-02-01", contact="Indgangen, tlf. 70 20 30 40",
    )
    document = load_document(path)
    assert document.meta.title == "§ 18-puljen"
    assert document.meta.url == "https://example.test/18"
    assert document.meta.updated == date(2025, 2, 1)
    assert document.meta.contact == "Indgangen, tlf. 70 20 30 40"
    assert [s.headings for s in document.sections] == [
        ("§ 18-puljen",), ("§ 18-puljen", "Frister"), ("§ 18-puljen", "Frister", "Svar"),
    ]


def test_markdown_headings_are_what_a_markdown_reader_shows(tmp_path: Path) -> None:
    path = tmp_path / "vejledning.md"
    path.write_text("Tilskud til **foreninger**\n===\n\nSådan gør I.\n\n```\n~~~\n# kommentar\n"
                    "```\n\nFrister for `2026`\n---\n\n> # Bemærk\n> Husk bilag.\n\n#\n\n"
                    "Søg senest 1. marts.\n", "utf-8")
    document = load_document(path)
    assert document.meta.title == "Tilskud til foreninger"
    assert [s.headings for s in document.sections] == [
        ("Tilskud til foreninger",), ("Tilskud til foreninger", "Frister for 2026")]
    assert "# kommentar" in document.sections[0].text  # a line of a code block, not a heading
    # A heading inside a quote is the quote's, and "#" alone names nothing.
    assert "> # Bemærk" in document.sections[1].text and "1. marts" in document.sections[1].text


def test_pdf_keeps_page_numbers_and_finds_headings_by_font(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "regnskab.pdf",
        [[("Regnskab", REGNSKAB)], [("Revisorerklæring", REVISOR)]],
        title="Regnskab og revision",
    )
    document = load_document(path)
    assert document.meta.title == "Regnskab og revision"
    by_page = {s.page: s for s in document.sections}
    assert by_page[1].headings == ("Regnskab",) and "1. april" in by_page[1].text
    assert by_page[2].headings == ("Revisorerklæring",) and "50.000 kr." in by_page[2].text
    # A heading too long for one line is one heading, not its last line.
    long = "Vejledning om tilskud til frivilligt socialt arbejde efter servicelovens paragraf 18"
    wrapped = load_document(write_pdf(tmp_path / "vejledning.pdf",
                                      [[(long, REGNSKAB * 3), ("Revisor", REVISOR * 3)]]))
    assert [s.headings for s in wrapped.sections] == [(long,), ("Revisor",)]


def test_docx_headings_become_section_paths(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "tjekliste.docx",
        [(1, "Tjekliste"), (None, "Husk vedtægterne."), (2, "Bilag"), (None, "Budget og regnskab.")],
    )
    document = load_document(path)
    assert document.meta.title == "Tjekliste"
    assert [(s.headings, s.text) for s in document.sections] == [
        (("Tjekliste",), "Husk vedtægterne."),
        (("Tjekliste", "Bilag"), "Budget og regnskab."),
    ]


def test_html_drops_menus_cookies_and_footer(tmp_path: Path) -> None:
    document = load_document(write_html(tmp_path / "lokaler.html"))
    text = " ".join(s.text for s in document.sections)
    assert document.meta.title == "Lokaletilskud"
    assert document.meta.url == "https://www.eksempel-kommune.dk/lokaletilskud"
    assert document.meta.updated == date(2025, 3, 14)
    assert "15. januar" in text and "- Lejekontrakt" in text
    for chrome in ("cookies", "Forside", "Facebook", "Rådhuspladsen"):
        assert chrome not in text
    assert document.sections[-1].headings == ("Lokaletilskud til foreninger", "Sådan søger I")


def test_a_page_whose_main_landmark_is_empty_has_no_text_not_its_chrome() -> None:
    # Its text drawn by JavaScript: given the whole page instead, trafilatura took the
    # cookie banner for the page's text, and it was indexed and quoted.
    html = ('<html><head><title>Ny pulje | Eksempel Kommune</title></head><body>'
            '<div id="cookie-banner" class="cookie-consent"><p>Vi bruger cookies for at forbedre '
            'din oplevelse og til statistik. Ved at klikke på Accepter alle giver du samtykke '
            'til, at Eksempel Kommune gemmer cookies i 13 måneder.</p>'
            '<button>Accepter alle</button></div>'
            '<header><nav><ul><li><a href="/">Forside</a></li></ul></nav></header>'
            '<main id="content"><div id="app"></div><script src="/app.js"></script></main>'
            '<footer><p>Eksempel Kommune · Rådhustorvet 1 · 7100 Vejle</p></footer></body></html>')
    assert extract_page(html).sections == []
    full = html.replace('<div id="app"></div>', f"<h1>Ny pulje</h1><p>{REGNSKAB}</p>")
    assert [s.text for s in extract_page(full).sections] == [REGNSKAB]


def test_html_from_a_cms_keeps_its_content(tmp_path: Path) -> None:
    """Class names such as page-header and layout--with-sidebar wrap content, not chrome."""
    path = tmp_path / "lokaletilskud.html"
    path.write_text(page("Lokaletilskud", (
        "<h2>Hvem kan få tilskud</h2><p>Godkendte foreninger kan få tilskud til leje af lokaler.</p>"
        "<h2>Frister</h2><p>Ansøgningen sendes senest 15. januar.</p>"
        '<p class="last-updated">Sidst opdateret 10/12 2014</p>')), "utf-8")
    document = load_document(path)
    text = " ".join(s.text for s in document.sections)
    assert "leje af lokaler" in text and "15. januar" in text
    assert ("Lokaletilskud", "Frister") in [s.headings for s in document.sections]
    assert (document.meta.title, document.meta.updated) == ("Lokaletilskud", date(2014, 12, 10))
    for chrome in CHROME:
        assert chrome not in text


def test_html_nested_lists_keep_their_order_and_the_text_after_them(tmp_path: Path) -> None:
    path = tmp_path / "godkendelse.html"
    path.write_text(page("Godkendelse", (
        "<h2>Det skal I sende</h2><p>Foreningen sender disse bilag, før den kan godkendes "
        "som folkeoplysende forening:</p><ul><li>Vedtægter<ul><li>Formål<ul>"
        "<li>Folkeoplysning</li><li>Demokrati</li></ul></li><li>Bestyrelse</li></ul>"
        "underskrevet af formanden</li><li>Regnskab</li></ul>")), "utf-8")
    text = _text(load_document(path))
    assert ("- Vedtægter underskrevet af formanden\n- Formål\n- Folkeoplysning\n- Demokrati\n"
            "- Bestyrelse\n- Regnskab") in text


def test_older_and_windows_text_encodings_still_read(tmp_path: Path) -> None:
    for encoding in ("cp1252", "utf-16", "latin-1"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes("Tilskud til “fælles” aktiviteter – søg senest 1. marts.\n"
                         .encode(encoding, errors="replace"))
        assert "fælles" in load_document(path).sections[0].text, encoding
    # A web page saved from Windows as "Unicode": UTF-16 with its byte order mark, and a
    # charset the page states wrongly, as pages copied between systems do.
    for encoding in ("utf-16", "utf-8-sig"):
        saved = tmp_path / f"{encoding}.html"
        saved.write_bytes(page("Tilskud", '<meta charset="windows-1252"><p>Tilskud til “fælles” '
                               "aktiviteter – søg senest 1. marts.</p>").encode(encoding))
        assert "fælles" in _text(load_document(saved)), encoding


def test_plain_text_guesses_title_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "noter.txt"
    path.write_text("Connect with us\n\nSådan søger I om tilskud hos kommunen\n\n"
                    "Frister\nAnsøgningen skal sendes senest den 1. marts hvert år.\n", "utf-8")
    document = load_document(path)
    assert document.meta.title == "Sådan søger I om tilskud hos kommunen"
    assert ("Frister",) in [s.headings for s in document.sections]


def test_text_above_a_later_heading_is_content_and_kept(tmp_path: Path) -> None:
    # Shaped like a real page: a title, a short intro, a list of demands, then sections
    # with long paragraphs. Guessing "Formål" as the title dropped the demands.
    path = tmp_path / "godkendelse.txt"
    path.write_text(
        "Spring til indhold\n\nVi bruger cookies til at huske dine valg. Læs mere.\n\n"
        "Godkendelse som folkeoplysende forening\n\n"
        "Her kan I læse om, hvad der skal til for at blive godkendt som forening.\n\n"
        "Krav til foreninger\n\nEn forening skal:\n  1. have en bestyrelse\n"
        "  2. have mindst 5 betalende medlemmer\n\nFormål\n\n"
        + "Formålet med loven er at fremme folkeoplysning og demokrati i foreningerne. " * 3
        + "\n", "utf-8")
    document = load_document(path)
    assert document.meta.title == "Godkendelse som folkeoplysende forening"
    text = _text(document)
    assert "mindst 5 betalende medlemmer" in text
    assert "Spring til indhold" not in text and "cookies" not in text  # chrome above the title


def test_skip_links_and_a_lone_bullet_above_the_title_are_chrome(tmp_path: Path) -> None:
    # A skip link reads like a title (four words) right above the real one, and a single
    # read-aloud bullet is no list: kept, each became a chunk that matched any question.
    path = tmp_path / "lokaler.txt"
    path.write_text(
        "• Få siden oplæst\nSkip to main content\nLån af mødelokaler i frivilligcentret\n"
        "Foreninger kan låne vores mødelokaler gratis til bestyrelsesmøder og lignende, "
        "når de ikke bruges til centrets egne aktiviteter.\n\n"
        "Hvor ofte kan vi låne?\n\nEt lokale kan lånes en gang om ugen i op til tre måneder.\n",
        "utf-8")
    document = load_document(path)
    assert document.meta.title == "Lån af mødelokaler i frivilligcentret"
    text = _text(document)
    assert "Skip to main content" not in text and "oplæst" not in text
    assert "op til tre måneder" in text


def test_a_contact_box_above_the_title_is_content(tmp_path: Path) -> None:
    # Lemvig's opening hours and DFS's phone number stand above the page's title, in
    # lines that read like menu items: dropped as chrome, the page could not say them.
    path = tmp_path / "forsikringer.txt"
    path.write_text(
        "Kontoret: +45 20 80 14 50 Mandag og fredag fra kl. 08:00 til kl. 12:00 info@fc.dk\n"
        "Menu\nForeninger og forsikringer\n\nHvordan med forsikringer?\n\n"
        + "Her kan I læse om de forsikringer, en forening med frivillige bør have. " * 3
        + "\n", "utf-8")
    text = _text(load_document(path))
    assert "Mandag og fredag fra kl. 08:00" in text and "Menu" not in text
    path = tmp_path / "folkeoplysende.txt"
    path.write_text(
        "Stine Hansen\nKontaktoplysninger\n\nEmail: sh@forbund.dk\n\nTelefon: 33260376\n\n"
        "Redaktionel dato: 19. juli 2023\n\n"
        "Går du med tanker om at starte en folkeoplysende forening, så bliv her klogere.\n\n"
        "Hvorfor være en folkeoplysende forening?\n\n"
        + "Den frie folkeoplysende virksomhed bygger på demokrati og fællesskab. " * 3 + "\n",
        "utf-8")
    text = _text(load_document(path))
    assert "sh@forbund.dk" in text and "Telefon: 33260376" in text  # data, not a heading


def test_a_cookie_notice_over_a_page_without_a_title_is_chrome(tmp_path: Path) -> None:
    # Saved without its heading, the page kept its cookie notice as text and as title:
    # a chunk of a few generic words that came near questions about anything.
    path = tmp_path / "samarbejde.txt"
    path.write_text(
        "Vi bruger cookies\n\nVed at bruge sitet accepterer du dette. \"nej tak til cookies\"\n\n"
        "Læs vores cookiepolitik\n\n"
        "Inden samarbejdet med de frivillige går i gang, er der en række emner, som I skal "
        "drøfte. Det styrker samarbejdet og foregriber uenigheder senere i forløbet.\n", "utf-8")
    document = load_document(path)
    assert document.meta.title == "Samarbejde"
    text = _text(document)
    assert "cookie" not in text and text.startswith("Inden samarbejdet")


def test_a_first_line_the_page_is_about_is_kept_without_a_title(tmp_path: Path) -> None:
    path = tmp_path / "praktik.txt"
    path.write_text(
        "• For dagpengemodtagere er praktikken højst fire uger.\n\n"
        "En virksomhedspraktik skal give den ledige erfaring og afklaring, og praktikken "
        "aftales med jobcentret, før den begynder.\n", "utf-8")
    text = _text(load_document(path))
    assert "højst fire uger" in text


def test_short_numbered_items_of_a_list_are_items_not_headings(tmp_path: Path) -> None:
    # Taken for a heading with no text under it, "3. have en bestyrelse" was lost.
    path = tmp_path / "krav.txt"
    path.write_text("Krav til foreninger\n\nEn forening skal:\n\n"
                    "  1. have formuleret et formål med foreningen, som fremgår af vedtægten\n"
                    "  2. have en bestyrelse\n  3. være demokratisk opbygget\n"
                    "  4. have mindst 5 betalende medlemmer\n", "utf-8")
    text = _text(load_document(path))
    for item in ("2. have en bestyrelse", "3. være demokratisk opbygget", "4. have mindst 5"):
        assert item in text


def test_a_numbered_line_above_bullets_is_their_heading(tmp_path: Path) -> None:
    # Read as the first item of the list under it, "7. Afslutning og afrapportering" was
    # quoted as an answer and cited as nothing.
    path = tmp_path / "vejledning.txt"
    path.write_text("Vejledning til tilskud\n\nSådan gennemfører I et projekt med tilskud.\n\n"
                    "7. Afslutning og afrapportering\n\n"
                    " • Et projekt skal afrapporteres til det tidspunkt i tilsagnet.\n"
                    " • Uden afrapportering bortfalder tilsagnet.\n", "utf-8")
    sections = load_document(path).sections
    assert sections[-1].headings[-1] == "7. Afslutning og afrapportering"
    assert sections[-1].text.startswith("• Et projekt skal afrapporteres")


def test_the_first_line_of_a_hard_wrapped_paragraph_is_not_a_heading(tmp_path: Path) -> None:
    # The paragraph's first line had been taken for the heading, and the pool's name
    # above it for nothing: "Forsøgs- og Udviklingspuljen" named no section.
    path = tmp_path / "puljer.txt"
    path.write_text("Tilskud til folkeoplysende foreninger\n\n"
                    "Her er en oversigt over de puljer, I kan søge tilskud fra.\n\n"
                    "  Forsøgs- og Udviklingspuljen\n\n"
                    "  Puljen skal være medvirkende til at give godkendte folkeoplysende\n"
                    "  foreninger og selvorganiserede grupper mulighed for at søge støtte til\n"
                    "  udvikling af nye tiltag.\n\n  Ansøgningsfristen er den 1. marts.\n",
                    "utf-8")
    sections = load_document(path).sections
    assert sections[-1].headings[-1] == "Forsøgs- og Udviklingspuljen"
    assert "Puljen skal være medvirkende" in sections[-1].text
    assert "1. marts" in sections[-1].text


def test_a_text_heading_may_start_with_the_section_sign(tmp_path: Path) -> None:
    # Not taken for a heading, "§ 18-midler 2026" left "Frister" as the title, and the
    # line and the paragraph above it were dropped as page chrome.
    path = tmp_path / "midler.txt"
    path.write_text("§ 18-midler 2026\nKommunen uddeler hvert år midler til frivilligt socialt "
                    "arbejde, og ansøgningen skal sendes digitalt via hjemmesiden.\n\nFrister\n"
                    "Fristen for ansøgning er 1. marts, og svar gives inden fire uger.\n", "utf-8")
    document = load_document(path)
    assert document.meta.title == "§ 18-midler 2026"
    assert "Kommunen uddeler hvert år" in _text(document)


def test_a_long_text_file_loads_in_linear_time(tmp_path: Path) -> None:
    # 8 MB of short lines: guessing headings took minutes when it looked ahead from every line.
    path = tmp_path / "lang.txt"
    block = "Frister\nAnsøg senest den 1. marts hvert år.\n\n"
    path.write_text(block * (8_000_000 // len(block.encode())), "utf-8")
    sections = load_document(path).sections
    assert sections[-1].headings == ("Frister",) and len(sections) > 150_000
    # 8 MB of lines that wrap into each other (a register: "8000 Aarhus C, forening nr 5"):
    # the look-ahead copied the paragraph so far for each line, minutes for this file.
    register = tmp_path / "register.txt"
    lines = (f"{8000 + n % 900} Aarhus C, forening nr {n}" for n in range(290_000))
    register.write_text("Foreningsregister\n" + "\n".join(lines) + "\n", "utf-8")
    assert "forening nr 289999" in load_document(register).sections[-1].text


def test_tables_keep_every_cell_and_docx_content_controls_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Puljer", level=1)
    document.add_paragraph("Tekst i indholdskontrol: fristen er 1. marts.")
    control = OxmlElement("w:sdt")  # a Word template's content control around it
    content = OxmlElement("w:sdtContent")
    control.append(content)
    paragraph = document.paragraphs[-1]._p
    paragraph.addprevious(control)
    content.append(paragraph)
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Pulje", "Foreninger", "Borgere"),
                                        ("§ 18", "Ja", "Ja"), ("§ 79", "Nej", "")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.add_table(rows=1, cols=2).rows[0].cells[0].text = "Indre A"
    path = tmp_path / "puljer.docx"
    document.save(str(path))
    text = _text(load_document(path))
    assert "fristen er 1. marts" in text
    assert "§ 18 | Ja | Ja" in text  # two answers, not one
    assert text.count("Nej") == 1 and "Indre A" in text  # a merged cell once, its table too
    page = tmp_path / "puljer.html"
    page.write_text("<html><head><title>Puljer</title></head><body><main><h1>Puljer</h1>"
                    "<p>Her kan du se, hvem der kan søge de enkelte puljer i kommunen.</p><table>"
                    "<tr><th>Pulje</th><th>Foreninger</th><th>Borgere</th></tr>"
                    "<tr><td>§ 18</td><td>Ja</td><td>Ja</td></tr></table></main></body></html>",
                    "utf-8")
    assert "§ 18 | Ja | Ja" in _text(load_document(page))


@pytest.mark.parametrize(("line", "when"), [
    ("Sidst opdateret 10/12 2014", date(2014, 12, 10)),
    ("Opdateret 19.04.2022", date(2022, 4, 19)),
    ("Senest ændret den 3. marts 2025 kl. 10.14.", date(2025, 3, 3)),
    ("Sidst opdateret: 2024-06-30", date(2024, 6, 30)),
    ("Sidst opdateret 45/12 2014", None),  # no such date: a line of text
    ("Reglerne er ændret 1. januar 2025", None),  # a fact, not the page's date
    ("Ansøg senest 1. marts 2025", None),
    ("ændret den 1. juli 2024.", None),  # a sentence wrapped after "Reglerne er blevet"
])
def test_a_line_that_only_dates_the_page_is_told_apart(line: str, when: date | None) -> None:
    assert is_date_line(line) == (when is not None)
    assert (date_in_text(line) if when else None) == when


def test_a_last_updated_line_is_the_date_not_the_text(tmp_path: Path) -> None:
    # A page saved as text has "Sidst opdateret 10/12 2024" above its footer, where it reads
    # as the footer's heading (and stays one); in a contact box it was quoted as the answer
    # to "hvornår ...?". The source had no date.
    page_text = (REAL_STYLE / "paragraf-18-pulje.txt").read_text("utf-8")
    path = tmp_path / "paragraf-18-pulje.txt"
    in_contact_box = page_text.replace("Sidst opdateret 10/12 2024\n\n", "").replace(
        "frivillig@nordby.dk\n", "frivillig@nordby.dk\nSidst opdateret 10/12 2024\n")
    for text in (page_text, in_contact_box):
        path.write_text(text, "utf-8")
        document = load_document(path)
        assert document.meta.updated == date(2024, 12, 10)
        assert not [s for s in document.sections if "opdateret" in s.text.lower()]
    (tmp_path / "paragraf-18-pulje.txt.yml").write_text("updated: 2025-06-01\n", "utf-8")
    assert load_document(path).meta.updated == date(2025, 6, 1)  # its metadata wins


def test_a_last_updated_line_dates_a_minified_page_and_a_linked_file(tmp_path: Path) -> None:
    # Minified, the page's text runs "...2014Kontakt" and the line's date was not found.
    html = ("<html><body><main><h1>Aktivitetstilskud</h1><p>Foreninger kan søge tilskud."
            "</p><p>Sidst opdateret 10/12 2014</p><p>Kontakt Kultur og Fritid</p></main>"
            "</body></html>")
    page_read = extract_page(html, "https://soeby.dk/aktivitetstilskud")
    assert page_read.updated == date(2014, 12, 10)
    assert "opdateret" not in " ".join(s.text for s in page_read.sections)
    # A file a page links to dates itself by such a line too.
    path = tmp_path / "vejledning.txt"
    path.write_text("Vejledning om regnskab\n\nRegnskabet sendes senest 1. april.\n\n"
                    "Opdateret 19.04.2022\n", "utf-8")
    linked = load_document(path, file_meta("https://soeby.dk/vejledning.txt", "Tilskud", "public"))
    assert linked.meta.updated == date(2022, 4, 19)


def test_sidecar_gives_metadata_to_other_formats(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "intern.docx", [(None, "Kun for medarbejdere.")])
    (tmp_path / "intern.docx.yml").write_text(
        "title: Intern vejledning\naudience: internal\nupdated: 2024-06-30\n"
        "contact: Team Tilskud\nurl: https://intra.example.test/v\n", "utf-8")
    meta = load_document(path).meta
    assert (meta.title, meta.audience, meta.updated, meta.contact, meta.url) == (
        "Intern vejledning", "internal", date(2024, 6, 30), "Team Tilskud",
        "https://intra.example.test/v")


def test_a_sidecar_cannot_make_a_document_that_calls_itself_internal_public(
        tmp_path: Path) -> None:
    path = write_markdown(tmp_path / "personale.md", "Alarmkoden er 5599.\n", audience="internal")
    (tmp_path / "personale.md.yml").write_text("title: Personale\naudience: public\n", "utf-8")
    meta = load_document(path).meta
    assert (meta.title, meta.audience) == ("Personale", "internal")


def test_missing_or_bad_metadata_gets_safe_defaults(tmp_path: Path) -> None:
    plain = write_markdown(tmp_path / "uden-metadata.md", "Bare tekst om foreninger.\n")
    meta = load_document(plain).meta
    assert (meta.title, meta.audience, meta.updated, meta.url) == (
        "Uden metadata", "public", None, "")
    odd = write_markdown(tmp_path / "skaev.md", "Tekst.\n", audience="intern", updated="sidste år")
    meta = load_document(odd).meta
    assert meta.audience == "internal"  # an unknown audience fails closed
    assert meta.updated is None


def test_bad_values_get_a_warning_and_the_default(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "skaeve-vaerdier.md"
    path.write_text("---\ntitle: [en, liste]\nupdated: 2026-13-45\ncontact: {navn: Ib}\n"
                    "url: javascript:alert(1)\nAudience: internal\n---\n# Frister\n\n"
                    "Ansøg senest 1. marts.\n", "utf-8")
    meta = load_document(path).meta
    assert (meta.title, meta.updated, meta.contact, meta.url) == ("Frister", None, "", "")
    assert meta.audience == "internal"  # keys are read whatever their case
    warned = caplog.text
    assert "2026-13-45" in warned and "title" in warned and "contact" in warned
    dated = write_markdown(tmp_path / "dato.md", "Tekst.\n", updated="2026-02-28 10:00")
    assert load_document(dated).meta.updated == date(2026, 2, 28)
    for odd in ("[internal]", "17", "no"):  # never public by accident
        other = write_markdown(tmp_path / "odd.md", "Tekst.\n", audience=odd)
        assert load_document(other).meta.audience == "internal", odd


def test_a_stray_byte_in_a_utf8_file_garbles_nothing_and_hides_no_metadata(tmp_path: Path) -> None:
    # A BOM, then one byte pasted from an old Windows file: read as Windows-1252 whole, the
    # BOM stood before the front matter, which was then not read (a public document).
    path = tmp_path / "haandbog.md"
    path.write_bytes(b"\xef\xbb\xbf" + "---\ntitle: Personalehåndbog\naudience: internal\n---\n"
                     "# Løn\n\nLønnen udbetales den sidste bankdag.".encode() + b"\x80\n")
    document = load_document(path)
    assert (document.meta.title, document.meta.audience) == ("Personalehåndbog", "internal")
    assert "Lønnen udbetales" in _text(document)


def test_front_matter_ended_by_dots_or_written_on_windows_is_read(tmp_path: Path) -> None:
    for name, text in (("prikker.md", "---\naudience: internal\n...\nHemmeligt.\n"),
                       ("windows.md", "---\r\naudience: internal\r\n---\r\nHemmeligt.\r\n")):
        (tmp_path / name).write_bytes(text.encode())
        document = load_document(tmp_path / name)
        assert document.meta.audience == "internal", name
        assert "audience" not in _text(document), name


@pytest.mark.parametrize(("files", "name"), [
    ({"notat.txt": "Alarmkoden er 5599.\n", "notat.txt.yaml": "audience: internal\n"}, "notat.txt"),
    ({"notat.txt": "Alarmkoden er 5599.\n", "notat.txt.YML": "audience: internal\n"}, "notat.txt"),
    ({"notat.txt": "Alarmkoden er 5599.\n", "notat.txt.yMl": "audience: internal\n"}, "notat.txt"),
    ({"tom-linje.md": "\n---\naudience: internal\n---\nAlarmkoden er 5599.\n"}, "tom-linje.md"),
    ({"gammel-mac.md": "---\raudience: internal\r---\rAlarmkoden er 5599.\r"}, "gammel-mac.md"),
])
def test_staff_text_is_never_published_by_how_its_metadata_is_written(
        tmp_path: Path, files: dict[str, str], name: str) -> None:
    for file, text in files.items():
        (tmp_path / file).write_text(text, "utf-8", newline="")
    document = load_document(tmp_path / name)
    assert document.meta.audience == "internal"
    assert "audience" not in _text(document) and "5599" in _text(document)


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"to-gange.md": "---\naudience: internal\nAudience: public\n---\nHemmeligt.\n"},
         "nøglen audience står to gange"),
        ({"notat.txt": "Hemmeligt.\n", "notat.txt.yml": "audience: internal\n",
          "notat.txt.yaml": "audience: public\n"}, "flere sidefiler"),
        ({"kolon.md": "---\ntitle: Intern: pointmodel\naudience: internal\n---\nHemmeligt.\n"},
         "front matter er ikke gyldig YAML, linje 1"),
        ({"liste.md": "---\n- audience: internal\n---\nHemmeligt.\n"}, "ikke en liste af nøgle"),
        ({"tom.md": "---\n# audience: internal\n---\nHemmeligt.\n"}, "ikke en liste af nøgle"),
        ({"aaben.md": "---\ntitle: Point\naudience: internal\n\nHemmeligt.\n"}, "ikke afsluttet"),
        ({"streg.md": "---\naudience: internal\n----\nHemmeligt.\n"}, "ikke afsluttet"),
        ({"notat.txt": "Hemmeligt notat om point.\n", "notat.txt.yml": "title: A: b\n"},
         "sidefilen notat.txt.yml er ikke gyldig YAML"),
        ({"notat.txt": "Hemmeligt notat om point.\n", "notat.txt.yml": "internal\n"},
         "sidefilen notat.txt.yml er ikke en liste"),
    ],
)
def test_unreadable_metadata_fails_the_document(tmp_path: Path, files: dict[str, str],
                                                reason: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    with pytest.raises(DocumentError, match=reason):
        load_document(tmp_path / next(iter(files)))


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("tom.pdf", lambda p: p.write_bytes(b""), "tom"),
        ("skadet.pdf", lambda p: p.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50), "beskadiget"),
        ("skannet.pdf", write_scanned_pdf, "ingen tekst"),
        ("skadet.docx", lambda p: p.write_bytes(b"PK\x03\x04 not a zip"), "beskadiget"),
        ("laast.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 600), "adgangskode"),
        ("tom.md", lambda p: p.write_text("---\ntitle: Tom\n---\n\n", "utf-8"), "ingen tekst"),
        ("binaer.txt", lambda p: p.write_bytes(b"\x00\x01\x02abc"), "binær"),
        ("binary.md", lambda p: p.write_bytes(b"# Titel\n\x00\x01\x02abc"), "binær"),
        ("side.html", lambda p: p.write_bytes(bytes(range(1, 256)) * 40), "binær"),
    ],
)
def test_bad_files_raise_a_clear_reason(tmp_path: Path, name: str, make: object, reason: str) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(DocumentError, match=reason):
        load_document(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    source = write_pdf(tmp_path / "aaben.pdf", [[("Regnskab", REGNSKAB)]])
    with pytest.raises(DocumentError, match="adgangskode"):
        load_document(write_protected_pdf(tmp_path / "laast.pdf", source))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_articles_load_with_their_headings() -> None:
    principles = load_document(SEEDS / "000_c06ce55ba0dc2011.txt")
    headings = {h for s in principles.sections for h in s.headings}
    assert principles.meta.title.startswith("Reformkommissionens 6 principper")
    assert "5. Det skal være administrativt let" in headings
    assert guess_title(["Connect with us", "Hvad søger du?"]) is None


def test_a_title_or_heading_a_reader_cannot_see_is_no_title(tmp_path: Path) -> None:
    # Only a zero-width space or a soft hyphen: the source line must name the document, and
    # a heading typeset with one is still a heading.
    invisible = "\u200b\u00ad"
    markdown = tmp_path / "frist-2026.md"
    markdown.write_text(f"# {invisible}\n\n{REGNSKAB}\n\n## {invisible}\n\n{REVISOR}\n", "utf-8")
    html = (f"<html><head><title>{invisible}</title></head>"
            f"<body><h1>{invisible}</h1><p>{REGNSKAB}</p>")
    (tmp_path / "tilskud.html").write_text(html, "utf-8")
    for name, title in [("frist-2026.md", "Frist 2026"), ("tilskud.html", "Tilskud")]:
        document = load_document(tmp_path / name)
        assert document.meta.title == title
        assert [section.headings for section in document.sections] == [()]
    web = page_document(extract_page(html), "https://kommune.test/tilskud", "public")
    assert web.meta.title == "Tilskud"
    (tmp_path / "noter.txt").write_text(f"{invisible}\n\n{REGNSKAB}\n\n\u200bFrister\n\n{REVISOR}\n",
                                      "utf-8")
    document = load_document(tmp_path / "noter.txt")
    assert document.meta.title == "Noter"
    assert [section.headings for section in document.sections] == [(), ("Frister",)]
