"""The pure text logic of answering: units, answer types, normalisation, language, follow-ups."""

from __future__ import annotations

import pytest

from knowledge.answers.follow_up import is_follow_up
from knowledge.index.store import ChunkRow
from knowledge.text.answer_types import (asked_types, asks_for_list, holds_contact_details,
                                         holds_type, is_negative, required_types)
from knowledge.text.circumstances import describes_asker
from knowledge.text.glossary import danish_terms_for
from knowledge.text.keyword_index import KeywordIndex
from knowledge.text.language import detect_language
from knowledge.text.normalization import (ascii_danish, normalize, numbered, ordinal, stem, terms,
                                          visible_text)
from knowledge.text.units import (
    continue_list,
    first_sentences,
    is_label,
    list_intro,
    reflowed,
    split_sentences,
    split_units,
)


@pytest.mark.parametrize("paragraph", [
    "Støtten ydes jf. § 18 i serviceloven.",
    "Puljen dækker bl.a. Foreningens udgifter til kørsel.",
    "Tilskuddet er fx. kr. 5.000 pr. år.",
    "Fristen er den 1. April, og svar kommer i maj.",
    "Kontakt H. C. Andersen på tlf. 12 34 56 78.",
    "Se stk. 2 og nr. 3 i vejledningen.",
    "Gruppen skal have min. 2 kontaktpersoner og maks. 40 medlemmer.",
    "Fristen er d. 1. maj hvert år.",
    "Medlemstallet opgøres pr. 1. januar.",
    "Det følger af § 18. Stk. 2 i serviceloven.",
    "Tilbuddet er for 1. 2. og 3. klasse.",
    "Mødet er den 24. Dec. kl. 10 på rådhuset.",
])
def test_abbreviations_initials_and_dates_do_not_end_a_sentence(paragraph: str) -> None:
    assert split_sentences(paragraph) == [paragraph]


def test_sentences_end_at_a_period_before_a_capital() -> None:
    text = "Tilskuddet er 20.000 kr. Pengene udbetales i maj. Fristen er i 2026. Ansøg i tide!"
    assert split_sentences(text) == ["Tilskuddet er 20.000 kr.", "Pengene udbetales i maj.",
                                     "Fristen er i 2026.", "Ansøg i tide!"]
    # a small number ends a sentence as a year does; only a date or a reference goes on
    assert split_sentences("Puljen er for unge under 18. Ansøgningen sendes digitalt.") == [
        "Puljen er for unge under 18.", "Ansøgningen sendes digitalt."]
    assert split_sentences("Vi har åbent kl. 9 til 12. Husk at ringe først.") == [
        "Vi har åbent kl. 9 til 12.", "Husk at ringe først."]
    # a step's number after a colon, or opening a sentence, numbers what follows
    assert split_sentences("Sådan søger I: 1. Udfyld skemaet. 2. Send det til os.") == [
        "Sådan søger I: 1. Udfyld skemaet.", "2. Send det til os."]
    # a lower-case letter is a word ("i"), not an initial as in "H. C. Andersen"
    assert split_sentences("Alle kan deltage i. Foreninger kan søge.") == [
        "Alle kan deltage i.", "Foreninger kan søge."]


def test_a_long_text_is_cut_after_its_first_sentences() -> None:
    item = "• Foreningens formål. Det skal ligge inden for lovens formål. Se også stk. 2."
    assert first_sentences(item, 100) == item
    assert first_sentences(item, 65) == (
        "• Foreningens formål. Det skal ligge inden for lovens formål. …")
    # The first sentence is kept however long it is.
    assert first_sentences(item, 10) == "• Foreningens formål. …"


def test_page_chrome_and_headings_are_labels_not_sentences() -> None:
    text = ("Skip til hoved indholdet\n"
            "Hjem Erhverv Tilskud og puljer Foreninger Borger Kontakt Om kommunen Job\n"
            "Forside > Erhverv > Tilskud\n"
            "Hvem kan søge?\n"
            "Foreningen skal være hjemmehørende i kommunen.\n"
            "Ansøgningsskema (pdf)")
    kinds = [(u.kind, u.text) for u in split_units(text)]
    assert kinds == [("label", "Skip til hoved indholdet"),
                     ("label", "Hjem Erhverv Tilskud og puljer Foreninger Borger Kontakt Om kommunen Job"),
                     ("label", "Forside > Erhverv > Tilskud"),
                     ("label", "Hvem kan søge?"),
                     ("sentence", "Foreningen skal være hjemmehørende i kommunen."),
                     ("label", "Ansøgningsskema (pdf)")]


def test_a_list_keeps_its_intro_and_wrapped_items() -> None:
    text = ("Der ydes ikke tilskud til:\n"
            " • Markedsføring\n"
            " • Frivilliges kørsel, som dækkes\n"
            "   af andre ordninger\n"
            "\n"
            "Ansøg senest 1. marts.")
    units = split_units(text)
    assert [(u.kind, u.list_id) for u in units] == [("intro", 0), ("item", 0), ("item", 0),
                                                   ("sentence", None)]
    assert units[2].text == "• Frivilliges kørsel, som dækkes af andre ordninger"
    assert [u.quotable for u in units] == [False, True, True, True]


@pytest.mark.parametrize(("text", "intro"), [
    ("Puljen støtter meget.\nDer ydes ikke tilskud til:\n• alkohol\n• tobak",
     "Der ydes ikke tilskud til:"),
    ("Puljen støtter meget.\n\nDet støtter vi ikke\n• alkohol\n• tobak",
     "Det støtter vi ikke"),
    ("• alkohol\n• tobak", ""),  # the whole text is the list: its intro is further back
    ("Puljen støtter meget. Den er stor.\n• alkohol\n• tobak", None),
    ("Der ydes ikke tilskud til:\n• alkohol\n\nAnsøg senest 1. marts.", None),
])
def test_the_line_introducing_the_list_a_text_ends_with(text: str, intro: str | None) -> None:
    assert list_intro(text) == intro


def test_a_passage_shown_whole_has_its_wrapped_lines_joined() -> None:
    # What pypdf gives for a PDF paragraph and a list: lines broken mid-sentence.
    text = ("Regnskabet dækker kalenderåret fra 1.\n"
            "januar til 31. december.\n"
            "Revisor skal være uafhængig af\n"
            "foreningen.\n"
            "\n"
            "Frister\n"
            "- Regnskabet skal være kommunen i hænde senest 1. april året efter\n"
            "tilskudsåret.\n"
            "- Afrapporteringen følger med.")
    assert reflowed(text) == ("Regnskabet dækker kalenderåret fra 1. januar til 31. december.\n"
                              "Revisor skal være uafhængig af foreningen.\n"
                              "\n"
                              "Frister\n"
                              "- Regnskabet skal være kommunen i hænde senest 1. april året efter "
                              "tilskudsåret.\n"
                              "- Afrapporteringen følger med.")
    # Quotes are read the same way: the date is not cut in two.
    first = split_units(text)[0].text
    assert first == "Regnskabet dækker kalenderåret fra 1. januar til 31. december."


def test_an_indented_paragraph_under_an_item_belongs_to_the_item() -> None:
    # Real pages give each item a label and a paragraph indented under it; split apart,
    # the list became one-item lists and "• Formål:" was quoted with nothing after it.
    text = ("Vedtægterne skal mindst beskrive:\n • Formål:\n  Foreningen skal have et "
            "folkeoplysende formål.\n • Hjemsted:\n  Foreningen skal høre hjemme i kommunen.\n"
            "Vedtægterne sendes med ansøgningen.")
    units = split_units(text)
    assert [u.kind for u in units] == ["intro", "item", "item", "sentence"]
    assert units[1].text == "• Formål: Foreningen skal have et folkeoplysende formål."
    assert units[1].list_id == units[2].list_id == units[0].list_id


def test_an_item_with_an_indented_paragraph_keeps_its_label_as_head() -> None:
    text = "Ansøgningen skal indeholde:\n • Budget:\n  Alle udgifter og indtægter.\n • Tidsplan"
    units = split_units(text)
    assert [u.head for u in units] == ["", "• Budget:", ""]


def test_a_list_cut_inside_an_item_goes_on_with_the_items_paragraph() -> None:
    # The chunk ends on an item's label; the next chunk repeats the label (the overlap)
    # and holds its paragraph and the rest of the list. The label came twice before.
    first = "Ansøgningen skal indeholde:\n • Formål:\n  Hvad I vil.\n • Budget:"
    following = ("• Budget:\n  Alle udgifter og indtægter.\n • Tidsplan:\n  Start og slut.\n\n"
                 "Efter projektet\nSend en beretning.")
    units = split_units(continue_list(first, following))
    assert [u.text for u in units if u.kind == "item"] == [
        "• Formål: Hvad I vil.", "• Budget: Alle udgifter og indtægter.", "• Tidsplan: Start og slut."]
    assert [u.head for u in units if u.kind == "item"] == ["• Formål:", "• Budget:", "• Tidsplan:"]


def test_a_numbered_heading_between_paragraphs_is_not_a_list_item() -> None:
    text = ("Tålmodighed er nødvendig.\n\n2. En langsigtet indsats\n\n"
            "At opbygge partnerskaber er en langsigtet proces.")
    assert [u.kind for u in split_units(text)] == ["sentence", "label", "sentence"]


def test_a_numbered_line_above_bullets_heads_them_among_numbers_it_is_an_item() -> None:
    headed = "7. Afslutning\n • Projektet afrapporteres til tiden.\n • Ellers bortfalder det."
    assert [u.kind for u in split_units(headed)] == ["label", "item", "item"]
    numbered_items = "1. have et formål\n2. have en bestyrelse\n3. have fem medlemmer"
    assert [u.kind for u in split_units(numbered_items)] == ["item", "item", "item"]


def test_letters_with_a_period_number_a_list_but_an_abbreviation_does_not() -> None:
    text = "Det kan være:\n\na. Udflugter\nb. Leje af lokaler\nc. Transport, leje af bus mv."
    assert [u.kind for u in split_units(text)] == ["intro", "item", "item", "item"]
    wrapped = "Puljen støtter aktiviteter som\nf. eks. udflugter og foredrag."
    assert [u.text for u in split_units(wrapped)] == [
        "Puljen støtter aktiviteter som f. eks. udflugter og foredrag."]


def test_a_long_breadcrumb_trail_is_a_label() -> None:
    assert is_label("Forside > Borger > Fritid og foreninger > Tilskud og puljer > "
                    "Frivilligt socialt arbejde")


def test_a_long_unpunctuated_line_of_prose_is_a_sentence_not_a_label() -> None:
    assert not is_label("Ansøgningsfristen for puljen er den første mandag i marts og igen den "
                        "første mandag i september hvert år")
    assert is_label("Læs mere om foreningsgodkendelse")


@pytest.mark.parametrize(("question", "kinds"), [
    ("hvornår er fristen for § 18?", ("date",)),
    ("What is the deadline?", ("date",)),
    ("hvor meget kan vi få i tilskud", ("amount",)),
    ("how much does it cost", ("amount",)),
    ("hvor mange gange om året uddeles puljen", ("count", "frequency")),
    ("hvor længe kan en praktik vare", ("duration",)),
    ("hvem kan jeg kontakte om puljen", ("contact",)),
    ("What phone number can I call about our bylaws?", ("contact",)),
    ("hvilken mail skal regnskabet sendes til?", ("contact",)),
    ("hvad er tlf nummeret for at booke et lokale?", ("contact",)),
    ("skal regnskabet mailes?", ()),
    ("kan enkeltpersoner søge", ()),
    ("koster det noget at bestille børneattester?", ("amount",)),
    ("How often should we renew child certificates?", ("frequency",)),
    ("Hvad er adressen på jobcentret?", ("address",)),
    ("hvem kan søge puljen?", ("agent",)),
    ("Who decides on our application?", ("agent",)),
    ("hvad hedder kommunens strategi?", ("name",)),
    ("What is the name of the guide?", ("name",)),
])
def test_questions_ask_for_kinds_of_fact(question: str, kinds: tuple[str, ...]) -> None:
    assert asked_types(question) == kinds


@pytest.mark.parametrize(("question", "several"), [
    ("Hvilke bilag skal med?", True),
    ("hvilken mail skal regnskabet sendes til?", False),
    ("Which documents must we send?", True),
    ("Which associations can apply?", True),
    ("Which committee sets the criteria?", False),  # one committee
    ("Which year was it decided?", False),           # "was" is no plural
    ("Which email address do we use?", False),
])
def test_a_question_for_several_things_asks_in_the_plural(question: str, several: bool) -> None:
    assert asks_for_list(question) == several


def test_a_named_kind_of_fact_or_an_amount_is_required_other_interrogatives_only_hint() -> None:
    # "hvornår" is answered by a condition too ("for tilskud over 50.000 kr.").
    question = "Hvornår skal regnskabet have en revisorerklæring?"
    assert asked_types(question) == ("date",) and required_types(question) == ()
    assert required_types("hvornår er ansøgningsfristen?") == ("date",)
    assert required_types("hvad er timesatsen?") == ("amount",)
    assert required_types("hvor mange timer om ugen skal en mentor bruge?") == ("duration",)
    # what something costs or gives is an amount, or nothing
    assert required_types("hvor meget får virksomheden i løntilskud?") == ("amount",)
    assert required_types("hvor mange penge er der i puljen?") == ("amount",)
    assert required_types("Hvor mange kroner pr. medlem giver kommunen?") == ("amount",)
    assert required_types("hvor mange kr i alt er der i puljen") == ("amount",)
    assert required_types("hvor megetsigende er navnet?") == ()
    assert required_types("How much can a club get?") == ("amount",)
    assert required_types("hvor store krav stiller kommunen?") == ()  # a degree, not an amount
    assert required_types("hvad er antallet af medlemmer?") == ()  # any number is a count
    assert asked_types("hvad går den langsigtede indsats ud på?") == ()  # an effort, not a rate
    # a way of sending or a deadline can say how or when, not what is asked for
    assert required_types("kan vi sende ansøgningen på almindelig mail?") == ()
    assert required_types("Can we send it by email?") == ()
    assert required_types("hvad sker der, hvis vi sender den efter ansøgningsfristen?") == ()
    assert required_types("What happens if we apply after the deadline?") == ()
    assert required_types("via hvilken mail skal vi sende den?") == ("contact",)
    assert required_types("hvad er mailadressen, vi sender ansøgningen til?") == ("contact",)
    assert required_types("må jeg bede om jeres mailadresse?") == ("contact",)
    assert required_types("og hvad med fristen?") == ("date",)
    assert required_types("hvor kan jeg læse om fristen?") == ("date",)


def test_a_text_saying_what_is_not_so_is_negative() -> None:
    assert is_negative("hvad støtter puljen ikke?") and is_negative("What is not covered?")
    assert is_negative("Der ydes ingen tilskud til kørsel.")
    assert not is_negative("hvad støtter puljen?")
    assert not is_negative("Lokalet er forbeholdt ikkerygere.")  # a compound, no negation


@pytest.mark.parametrize(("text", "kind", "holds"), [
    ("Fristen er 1. marts.", "date", True),
    ("Puljen kan søges løbende.", "date", True),
    ("Ansøg inden uge 12.", "date", True),
    ("Puljen støtter frivilligt arbejde.", "date", False),
    ("Regnskabet sendes senest 1/6.", "date", True),
    ("Udtalelsen er fra 29-04-2016.", "date", True),
    ("Vedlæg 1-3 fotos.", "date", False),  # a range, not a day and month
    ("Tilskuddet for 2025 beregnes efter medlemstallet.", "date", False),  # a period, no date
    ("Unge på 13-15 år må løfte 12 kilo.", "date", False),
    ("Næste runde åbner i efteråret.", "date", True),
    ("Ansøg inden sommerferien.", "date", True),
    ("Ældrerådet holder en forårsfest.", "date", False),  # a season's compound is no time
    ("Tilskuddet er højst 20.000 kr.", "amount", True),
    ("Børneattester er gratis.", "amount", True),
    ("Et bilag må højst fylde 10 MB.", "amount", True),  # a size answers "hvor stort"
    ("Udvalget har afsat 200.000 til et tema for 2024.", "amount", True),  # a bare sum
    ("Puljen er på 150.000.", "amount", True),
    ("Tilskuddet er 15.000,-", "amount", True),
    ("Kommunen har 10.000 indbyggere.", "amount", False),  # a count has its noun after it
    ("Der bor ca. 52.000 i kommunen.", "amount", False),  # or is about no money
    ("Puljen er stor. Der bor ca. 52.000 i kommunen.", "amount", False),  # in its sentence
    ("Der gives op til 25.000 inkl. moms.", "amount", True),
    ("Der forventes 1.000-2.000 deltagere.", "amount", False),
    ("Ansøgningen kom 1.4.2024.", "amount", False),
    ("Det er jobcentret, der vurderer, om der skal ydes støtte.", "agent", True),
    ("Puljen kan søges af godkendte idrætsforeninger.", "agent", True),
    ("Regnskabet skal være underskrevet af hele bestyrelsen.", "agent", True),
    ("Antallet af medlemmer skal oplyses.", "agent", False),  # a noun's "-et af"
    ("Det er vigtigt, at regnskabet er rettidigt.", "agent", False),
    ("Byrådet vedtog strategien ”Overskud giver overskud”.", "name", True),
    ('De har beskrevet det i vejledningen "Gang i socialøkonomien".', "name", True),
    ("Byrådet vedtog en ny strategi.", "name", False),
    ("Puljen efter § 18 i 2026.", "amount", False),
    ("Puljen efter § 18 i 2026.", "count", False),
    ("Der uddeles 2 gange årligt.", "count", True),
    ("Praktikken varer op til 8 uger.", "duration", True),
    ("Typisk får du et par timer om ugen.", "duration", True),
    ("Der forventes en egenbetaling på minimum ¼ af udgiften.", "amount", True),
    ("Kommunen dækker halvdelen af udgifterne.", "amount", True),
    ("Foreningen har et par frivillige.", "duration", False),
    ("Skriv til puljen@kommune.dk.", "contact", True),
    ("Fristen for afrapportering er tre måneder efter endt projekt.", "date", True),
    ("Det skal ske inden for 14 dage.", "date", True),
    ("Projektet varer 14 dage.", "date", False),
    ("Attesten bør indhentes hvert andet år.", "frequency", True),
    ("Puljen støtter frivilligt arbejde.", "frequency", False),
    ("Exnersgade 33, 6700 Esbjerg", "address", True),
    ("Puljen er for borgere over 60 år.", "duration", False),  # an age
    ("Tilskuddet er 6700 kr.", "address", False),
])
def test_texts_hold_kinds_of_fact(text: str, kind: str, holds: bool) -> None:
    assert holds_type(text, kind) is holds  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "reaches"), [
    ("Ring på 70 20 30 40.", True),
    ("Ring på telefon 70 220 230.", True),  # Folkehjælp's number as its page writes it
    ("Tlf.70203040", True),  # glued to its label
    ("Der uddeles i alt 15 500 000 til foreninger.", False),  # 2+3+3 without a label
    ("Ring på 70-20-30-40.", True),
    ("Ring på 70.20.30.40.", True),
    ("Ring på 7020 3040.", True),
    ("Ring på +45 70203040.", True),
    ("Puljen er på 10 000 000 kr.", False),
    ("Puljen er på 10.000.000 kr.", False),
    ("Projektet løber 2025-2026.", False),
    ("Kontakt os om puljen.", False),  # a word naming a contact is no way to reach one
])
def test_a_phone_number_is_read_in_each_grouping_it_is_written_in(text: str,
                                                                    reaches: bool) -> None:
    assert holds_contact_details(text) is reaches


@pytest.mark.parametrize(("question", "word", "describes"), [
    # Who asks and where: a phrase opened by a preposition or "vores", with only articles,
    # pronouns, numbers and other names between.
    ("kan §79 betale for bussen til udflugten for de gangbesværede", "gangbesværede", True),
    ("koster det noget at bestille børneattest til trænerne i håndboldklubben",
     "håndboldklubben", True),
    ("kan vi få alkoholbevilling til vores sommerfest", "sommerfest", True),
    # What is asked about: the object, the subject, or a word after a noun or a verb.
    ("kan vi få alkoholbevilling til vores sommerfest", "alkoholbevilling", False),
    ("vi har en ny bus, hvordan får vi en parkeringstilladelse", "parkeringstilladelse", False),
    ("hvordan bliver vores 18 ansøgning pointgivet", "pointgivet", False),
    ("hvad skal vi gøre for at få byggetilladelse til klubhuset", "byggetilladelse", False),
    # A phrase of topic, of time or condition, or completing the kind of fact asked for.
    ("hvordan søger vi om udskænkningstilladelse til byfesten", "udskænkningstilladelse", False),
    ("kan I sende noget til os om vinterbadepuljen", "vinterbadepuljen", False),
    ("hvad gælder for løntilskud under barselsorlov", "barselsorlov", False),
    ("hvornår er fristen for § 18-julehjælpspuljen", "julehjælpspuljen", False),
    ("hvad er prisen for et fiskekort", "fiskekort", False),
])
def test_a_word_saying_who_asks_or_where_is_told_from_what_is_asked(
        question: str, word: str, describes: bool) -> None:
    assert describes_asker(question, stem(word.lower())) is describes


@pytest.mark.parametrize(("question", "name", "describes"), [
    # A name says who asks when the asker has named themselves in the first person.
    ("hej vi er fra Bakkely Seniorklub i Vestergade, hvornår er fristen", "Seniorklub", True),
    ("hej vi er fra Bakkely Seniorklub i Vestergade, hvornår er fristen", "Vestergade", True),
    ("må en ung få lommepengejob hos os i Brugsen", "Brugsen", True),
    ("Our club on Bornholm is sending a coach on a course in Jutland", "Jutland", True),
    ("vi er Ulvetroppen spejderne, skal vi sende børneattesterne ind", "Ulvetroppen", True),
    ("vores kor Sangfuglene vil lave en koncert", "Sangfuglene", True),
    ("kan vores klub Kuglen søge § 18", "Kuglen", True),
    ("vores køkkenchef paa Café Lærkereden skal være mentor", "Lærkereden", True),  # "på"
    # A word sharing a stem with part of a municipality's name is none (Høje-Taastrup,
    # Ikast-Brande).
    ("vi er fra Høje Kolstrup Boldklub, hvornår er fristen", "Høje", True),
    ("hej vi er fra Brand og Redning Frivillige, hvad skal vi vedlægge", "Brand", True),
    # Else it is another place or body, which the question is about.
    ("kan vi søge § 18-puljen i Nakskov", "Nakskov", False),
    ("hvornår får vi svar fra Trygfonden", "Trygfonden", False),
    ("vores forening søger Trygfonden, hvad skal vi vedlægge", "Trygfonden", False),
    ("skal vi sende regnskabet til vores fond Trygfonden", "Trygfonden", False),
    ("vi er Trygfonden-støttede, hvornår er fristen", "Trygfonden", False),
    ("kan vores forening få penge fra puljen Aktive Ældre", "Aktive", False),
    ("vi er Ulvetroppen - kan vi søge § 18 i Nakskov?", "Nakskov", False),  # a dash ends a clause
    # Another municipality, by its name or as "X Kommune", whoever asks.
    ("hvornår er fristen for § 18 for vores forening i Vejle", "Vejle", False),
    ("hvad er timelønnen i lommepengejob hos os i Nordby Kommune", "Nordby", False),
    ("fristen for at søge for vores klub i frederikssund", "frederikssund", False),
    ("hvornår er fristen for vores klub i Århus", "Århus", False),
    ("hvornår er fristen for vores klub paa Aeroe", "Aeroe", False),  # typed without æ, ø
    ("hvad gælder i vores nabokommune Nakskov", "Nakskov", False),
])
def test_a_name_says_who_asks_only_after_the_asker_names_themselves(
        question: str, name: str, describes: bool) -> None:
    assert describes_asker(question, stem(name.lower()), name=True) is describes


@pytest.mark.parametrize("variant", ["§ 18", "§18", "paragraf 18", "18 midlerne", "18-puljen",
                                     "18-ansøgning"])
def test_informal_section_references_become_one_token(variant: str) -> None:
    assert "paragraf18" in terms(f"frist for {variant}")


def test_text_is_kept_as_a_reader_sees_it() -> None:
    typeset = "An\u00adsøgnings\u200bfrist\u2060 for \ufb01nansiering pa\u030a \ufeffsiden"
    assert visible_text(typeset) == "Ansøgningsfrist for finansiering på siden"
    kept = "§ 18: 75.000 kr. – ½ år, 10 m² «citat» 👍 👨\u200d👩\u200d👧"  # what a reader sees
    assert visible_text(kept) == kept
    assert visible_text("pa\u200b\u030a") == "på"  # one pass gives what two would
    assert terms(visible_text(typeset)) == terms("Ansøgningsfrist for finansiering på siden")


def test_each_section_of_a_double_section_sign_is_a_reference() -> None:
    # "§§ 18 og 79" on Roskilde's page named § 18 only: 79 became a bare number.
    assert {"paragraf18", "paragraf79"} <= set(terms("jf. §§ 18 og 79 i serviceloven"))
    assert {"paragraf79", "paragraf80"} <= set(terms("§§ 79-80"))


def test_a_count_of_applications_is_not_a_section_reference() -> None:
    assert "paragraf30" not in normalize("vi har fået 30 ansøgninger")
    assert normalize("75.000 kr") == "75000 kr"


def test_a_genitive_apostrophe_s_is_not_a_word_of_its_own() -> None:
    # a lone "s" was the rarest, so the heaviest, term of "Who can apply for Albertslund's pool?"
    assert terms("Albertslund's pulje") == terms("Albertslund pulje")
    assert terms("ÅUF’s revisorkursus") == ["åuf", "revisorkursus"]


def test_danish_typed_without_special_letters() -> None:
    assert ascii_danish("hvornaar") == "hvornår"
    assert ascii_danish("socialoekonomisk") == "socialøkonomisk"
    assert ascii_danish("vaere") == "være"


@pytest.mark.parametrize(("question", "language"), [
    ("hvornår er fristen for § 18-puljen?", "da"),
    ("kan vi søge penge til en tur", "da"),
    ("What is the deadline for the grant?", "en"),
    ("Can individuals apply for funding?", "en"),
    # an English loanword does not make a Danish question English, nor a Danish name an
    # English one Danish
    ("deadline for ansøgning", "da"),
    ("deadline for 18 puljen?", "da"),
    ("Can political parties use the rooms at Frivilligcenter Hillerød?", "en"),
    ("what about regnskabet?", "en"),
    # too little to go by: Danish
    ("§ 18?", "da"),
    ("", "da"),
    ("og revision?", "da"),
    ("mentor?", "da"),
    ("and the deadline?", "en"),
])
def test_language_of_a_question(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(("question", "follows"), [
    ("og hvad med fristen?", True),
    ("hvad med regnskabet", True),
    ("What about the deadline?", True),
    ("hvornår skal den afleveres?", True),
    ("hvornår er fristen for § 18-puljen i år?", False),
    ("Hvilke dokumenter skal vedlægges en ansøgning til udviklingspuljen?", False),
])
def test_follow_up_questions_are_recognised(question: str, follows: bool) -> None:
    assert is_follow_up(question) is follows


def _index(*texts: str) -> KeywordIndex:
    return KeywordIndex([ChunkRow(f"c{n}", text, {"section": "", "doc_key": f"d{n}"})
                         for n, text in enumerate(texts)])


def test_a_document_names_what_it_says_itself_not_what_its_links_name() -> None:
    # "Læs mere om § 79-puljen" ends a chunk: a link naming another page. A heading the
    # loader missed names what follows it, and the title and a table row are the page's.
    rows = [ChunkRow("c0", "Tilskud efter serviceloven § 110\nKommunen giver tilskud til "
                     "herberger.\nYdelse | § 85 | løbende\nLæs mere om § 79-puljen",
                     {"section": "", "doc_key": "d0", "title": "Pulje efter § 18"})]
    said = KeywordIndex(rows).own_words("d0")
    assert {"paragraf18", "paragraf110", "paragraf85"} <= said
    assert "paragraf79" not in said


def test_danish_typed_without_special_letters_is_read_before_any_spelling_correction() -> None:
    # Corrected first, "vaere" (være) became "var", the stem of "varer" (goods).
    index = _index("Foreningen sælger varer.", "Regnskabet skal være hos kommunen 1. juni.")
    query = index.resolve("hvornaar skal regnskabet vaere hos kommunen")
    assert "var" not in query.known and query.unknown == []


def test_a_word_typed_without_special_letters_finds_the_text_when_an_address_spells_it_so() -> None:
    # The file name holds "boerneattest", the text "børneattest": keyword search must
    # search the text's spelling, not only the one the address happens to use.
    rows = [ChunkRow("c0", "Foreningen skal indhente børneattest på trænere.",
                     {"section": "", "doc_key": "d0", "file": "boerneattest.txt"}),
            ChunkRow("c1", "Trænere kan søge tilskud til kurser.",
                     {"section": "", "doc_key": "d1", "file": "kurser.txt"})]
    index = KeywordIndex(rows)
    found = index.search(index.resolve("skal vi have boerneattest paa trænere"), 2)
    assert [row.id for row, _ in found][:1] == ["c0"]


def test_words_typed_without_special_letters_are_spelt_as_the_texts_spell_them() -> None:
    index = _index("Hvornår skal trænerne have en børneattest?", "Foreninger i Aalborg søger.")
    assert index.respelled("Hvornaar skal traenerne i Aalborg have boerneattest paa sig") == (
        "Hvornår skal trænerne i Aalborg have børneattest på sig")
    # Words whose Danish spelling the texts do not use stay as typed.
    assert index.respelled("Does Michael need one?") == "Does Michael need one?"
    # So do words the texts use as typed, whatever else they write.
    both = _index("Foreninger i Aarhus søger.", "Århus Kommune giver tilskud.")
    assert both.respelled("tilskud i Aarhus") == "tilskud i Aarhus"


def test_an_everyday_word_is_known_as_the_last_part_of_the_documents_compound() -> None:
    index = _index("Jobcentret dækker skader begået af virksomhedspraktikanten.",
                   "Foreninger kan søge lokaletilskud.")
    assert index.composed_of_known("praktikant")  # in "virksomhedspraktikant"
    assert not index.composed_of_known("byggetilladelse")


def test_a_word_the_documents_use_only_as_a_compounds_last_part_is_a_search_term() -> None:
    index = _index("Faciliteterne bliver fordelt efter følgende prioriteringsrækkefølge:",
                   "Foreningen holder en forårsfest.")
    query = index.resolve("hvilken rækkefølge gælder, og er der en fest?")
    assert "rækkefølg" in query.known  # quotes can find it in "prioriteringsrækkefølge"
    assert "fest" in query.unknown  # too short to be taken from the end of another word


def test_a_compound_of_two_of_the_documents_words_is_known() -> None:
    index = _index("Foreninger kan søge tilskud til uddannelse af instruktører.",
                   "Tilskuddet kan kun ydes til kurser.")
    # The question's "instruktørkurser" is stemmed to "instruktørkurs" before this check.
    assert index.composed_of_known("instruktørkurs")
    assert not index.composed_of_known("hundeskat")


def test_a_compounds_first_part_is_read_as_the_documents_stem_it() -> None:
    # The index holds "træner" as its stem "træn"; "trænerkurs" starts with the whole word.
    index = _index("Klubben betaler for sine trænere.", "Tilskuddet kan kun ydes til kurser.")
    assert index.composed_of_known("trænerkurs")
    assert not index.composed_of_known("trænerbolig")


def test_a_list_cut_by_chunking_is_completed_from_the_next_chunk() -> None:
    first = "Jobcentre kan samarbejde på fem områder:\n\n1. som anden aktør\n2. som mentorer"
    overlap = "2. som mentorer\n3. ved afklaring til fleksjob\n4. ved løntilskud\n\nMere tekst her."
    assert continue_list(first, overlap) == f"{first}\n3. ved afklaring til fleksjob\n4. ved løntilskud"
    prose = "Puljen støtter frivilligt arbejde."
    assert continue_list(prose, overlap) == prose  # it does not end in a list


def test_an_ordinal_counts_to_a_numbered_heading() -> None:
    assert ordinal("hvad er det tredje princip?") == 3 and ordinal("hvad er princippet?") is None
    assert numbered("Principper > 1. Politisk ejerskab", 1)
    assert numbered("Princip 2: En langsigtet indsats", 2)
    assert not numbered("Princip 12: Noget andet", 1) and not numbered("Frister", 1)


def test_english_words_are_looked_up_by_their_lemma() -> None:
    # "decides" and "premises" are not entries; their lemmas "decide" and the word itself are.
    assert "afgørelse" in danish_terms_for("Which office decides on our application?")
    assert "bestyrelse" in danish_terms_for("Who must sit on the boards of the clubs?")


def test_the_longest_english_entry_wins() -> None:
    terms_ = danish_terms_for("Where is the job centre?").split()
    assert "jobcenter" in terms_ and "jobbet" not in terms_
    # A swimming pool is no grant pool ("pulje"), a town hall no sports hall.
    assert "pulje" not in danish_terms_for("When does the swimming pool open?").split()
    assert "haller" not in danish_terms_for("Where is the town hall?").split()


def test_a_danish_question_gets_no_english_glossary_words() -> None:
    # Danish words can be English ones too: "rent" is clean, "form" is shape.
    assert danish_terms_for("hvad er den rette form for en rent frivillig forening?") == ""

