"""Answers over pages written like real municipal web pages (tests/realstyle), real model.

The documents have what real pages have and our own corpus lacked: breadcrumbs, skip
links and cookie lines, headings as bare lines, link texts, "•" lists introduced by a
line ending in ":", facts spread over two sentences, "jf. § 18". Each test names a class
of failure the answer step had on real pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.sync import sync_documents
from knowledge.answers.answering import Answerer
from knowledge.answers.rendering import render_text
from knowledge.answers.retrieval import Retriever
from knowledge.index.embeddings import Embedder
from knowledge.index.store import Store
from knowledge.settings import Settings

REAL_STYLE = Path(__file__).resolve().parents[1] / "realstyle"
CHROME = ("Spring til indhold", "Forside >", "Vi bruger cookies", "Ansøgningsskema (pdf)",
          "Budgetskabelon (xlsx)", "Læs mere om", "Sidst opdateret", "Ansøgningsrunder\n")


@pytest.fixture(scope="module")
def real_style(tmp_path_factory: pytest.TempPathFactory, base_settings: Settings,
               embedder: Embedder) -> Answerer:
    """An answerer over the real-style pages."""
    root = tmp_path_factory.mktemp("realstyle")
    settings = base_settings.model_copy(update={"data_dir": root / "data", "store_dir": root / "store"})
    store = Store.from_settings(settings)
    assert sync_documents([REAL_STYLE], store, embedder, settings).failed == []
    return Answerer(Retriever(store, embedder), embedder, settings)


def quoted(answer_text: str) -> str:
    """Return the quoted part of a rendered answer (between the intro and the sources)."""
    return answer_text.split("\n\n", 1)[1].rsplit("\n\nKilder:", 1)[0]


@pytest.mark.parametrize("question", [
    "hvornår lukker den første ansøgningsrunde i 18 puljen?",
    "hvad kan der søges til fra § 18-puljen?",
    "hvor meget kan vi søge fra 18 puljen",
    "hvem træffer afgørelse om ansøgningerne til § 18?",
])
def test_page_chrome_headings_and_link_texts_are_never_quoted(real_style: Answerer,
                                                               question: str) -> None:
    answer = real_style.answer(question)
    assert answer.found
    quotes = quoted(render_text(answer))
    assert not [chrome for chrome in CHROME if chrome in quotes], quotes


def test_a_fact_in_the_second_sentence_of_a_paragraph_is_quoted(real_style: Answerer) -> None:
    # "Puljen har to ansøgningsrunder. Den første lukker 1. marts, ..."
    answer = real_style.answer("hvornår lukker den første ansøgningsrunde i 18 puljen?")
    assert "1. marts" in render_text(answer)[:900]


def test_a_list_is_quoted_with_its_intro_and_items(real_style: Answerer) -> None:
    text = render_text(real_style.answer("hvad kan der søges til fra § 18-puljen?"))[:900]
    assert "Der kan bl.a. søges til:\n• materialer og mindre udstyr\n• leje af lokaler" in text


def test_a_question_for_several_things_is_answered_by_a_list(real_style: Answerer) -> None:
    # The list's words ("beskrivelse", "budget") are not the question's: sentences that
    # repeat "ansøgningen" and "§ 18" won before a list counted as the kind of answer asked.
    text = render_text(real_style.answer("hvilke dokumenter skal vi sende med ansøgningen til § 18?"))
    assert "• et budget, hvor I bruger vores budgetskabelon\n• foreningens vedtægter" in text[:900]


def test_a_list_of_long_labelled_items_is_quoted_by_its_labels(real_style: Answerer) -> None:
    # Each item is a label with a paragraph under it, and chunking cuts the list. Quoted
    # whole, the first item's paragraph filled the answer and the labels after it were lost.
    answer = real_style.answer("hvad skal ansøgningen til kulturpuljen indeholde?")
    text = quoted(render_text(answer))
    assert ("• Projektbeskrivelse\n• Målgruppe\n• Budget\n• Tidsplan\n• Evaluering\n"
            "• Formidling\n• Tilgængelighed") in text
    assert "højst to sider" not in text


def test_the_item_a_question_singles_out_is_quoted_whole(real_style: Answerer) -> None:
    answer = real_style.answer("hvad skal budgettet i ansøgningen til kulturpuljen vise?")
    text = quoted(render_text(answer))
    assert "• Budget: Budgettet skal vise alle udgifter og indtægter" in text
    assert "• Tidsplan\n" in text and "12 måneder" not in text
    # The chunk holding the list's end is not quoted again beside the completed list,
    # nor in its place, without the items before it.
    assert text.count("• Tilgængelighed") == 1
    assert "• Projektbeskrivelse\n• Målgruppe\n• Budget: " in text, text


def test_the_sentence_before_the_best_one_is_quoted_with_it(real_style: Answerer) -> None:
    # "Folkeoplysningsudvalget holder møde fire gange om året. Derfor kan der gå op til tre
    # måneder, før I får svar.": the reason is in the sentence that shares no question word.
    answer = real_style.answer("hvorfor går der så lang tid før vi får svar på godkendelsen")
    text = render_text(answer)
    assert "Folkeoplysningsudvalget holder møde fire gange om året." in text[:900]


def test_long_items_of_a_list_quoted_whole_are_cut_after_their_first_sentences(
        real_style: Answerer) -> None:
    # Each item is a sentence with its explanation, the first one five lines long. Quoted
    # whole, it pushed the items after it past what a reader sees of an answer.
    text = render_text(real_style.answer("Hvad skal vedtægterne mindst indeholde?"))
    assert "• Hvem der tegner foreningen." in text[:900]
    assert "• Foreningens navn, hjemsted og formål." in text and "forveksles" not in text


def test_the_item_that_answers_is_quoted_whole_in_a_long_list(real_style: Answerer) -> None:
    text = render_text(real_style.answer("må vores navn ligne en anden forenings navn?"))
    assert ("Navnet må ikke ligne en anden godkendt forenings navn så meget, "
            "at de kan forveksles") in text[:900]


def test_the_amount_asked_for_is_quoted(real_style: Answerer) -> None:
    text = render_text(real_style.answer("hvor meget kan vi søge fra 18 puljen"))[:900]
    assert "40.000 kr." in text


def test_jf_paragraph_stays_inside_its_sentence(real_style: Answerer) -> None:
    text = render_text(real_style.answer("hvilken lov gives støtten fra 18 puljen efter?"))
    assert "Støtten gives jf. § 18 i lov om social service (serviceloven)." in text


@pytest.mark.parametrize("question", [
    "When will we hear back if we apply in the autumn round?",  # capitalised English words
    "Skal tilskuddet udbetales til foreningens NemKonto?",     # a CamelCase product name
    "vi har fået 30 ansøgninger om kurser - hvor meget må vi bruge på kurser?",  # not § 30
])
def test_word_checks_do_not_refuse_answerable_questions(real_style: Answerer, question: str) -> None:
    assert real_style.answer(question).found


@pytest.mark.parametrize("question", [
    "hvornår lukker den første ansøgningsrunde i Vejle Kommune?",  # another municipality
    "hvad var fristen for § 18-puljen i 2019?",                    # a year no page names
    "hvad er timesatsen for løntilskud hos Jobcenter Eksempelby?",  # a name no page has
    "hvor meget kan man søge fra § 79-puljen i Nordby?",           # a section no page has
    "hvor meget får virksomheden i løntilskud?",                    # an amount no page has
    "hvor mange kroner får en virksomhed for at tage en i praktik?",  # the same, in kroner
    "Who do we contact about rats in the clubhouse (rottebekæmpelse)?",  # Danish, unknown
])
def test_near_misses_are_not_answered(real_style: Answerer, question: str) -> None:
    answer = real_style.answer(question)
    assert not answer.found, render_text(answer)


@pytest.mark.parametrize("question", [
    "hvad skal vi vedlægge ansøgningen til paragraf 18 puljen",
    "hvornår er ansøgningsfristen for 18 puljen?",
])
def test_a_question_naming_a_law_section_is_answered_from_the_pages_naming_it(
        real_style: Answerer, question: str) -> None:
    # The culture pool's page has a list of what to enclose and the same deadlines; it
    # was found beside the § 18 page, and quoted first.
    text = render_text(real_style.answer(question))
    assert "(§ 18)" in text and "Kulturpuljen" not in text, text


def test_a_page_naming_a_section_only_in_a_link_text_does_not_name_it(
        real_style: Answerer) -> None:
    # The page on revision ends with "Læs mere om § 18-puljen"; counted as naming § 18,
    # its section on unspent money was quoted first, before the § 18 page's own text.
    text = render_text(real_style.answer("hvem bestemmer om vi faar §18 penge"))
    assert "(§ 18)" in text and "Regnskab og revision" not in text, text


def test_a_question_about_another_page_naming_a_section_is_not_answered_from_its_pages(
        real_style: Answerer) -> None:
    # The best page is on child certificates, which never names § 18: keeping only the §
    # 18 page's passages would answer with the pool's amounts.
    text = render_text(real_style.answer("hvad koster en børneattest for en § 18 forening?"))
    assert "40.000 kr." not in text and "5.000 kr." not in text, text


def test_a_list_is_read_and_quoted_under_the_heading_above_it(real_style: Answerer) -> None:
    # "Det støtter vi ikke" is a heading inside the chunk that starts under "Det kan I
    # søge til"; its items say what is not supported only under it.
    text = quoted(render_text(real_style.answer("hvad støtter 18 puljen ikke?")))
    assert "Det støtter vi ikke\n• løn til ansatte" in text and "• alkohol" in text, text
    assert "materialer og mindre udstyr" not in text, text


def test_an_item_quoted_alone_keeps_the_heading_its_list_stands_under(
        real_style: Answerer) -> None:
    # "• alkohol" is the third item under "Det støtter vi ikke"; quoted alone, before
    # "Der kan bl.a. søges til:", it read as something the pool supports.
    text = quoted(render_text(real_style.answer("må vi søge penge til alkohol fra 18 puljen?")))
    assert "Det støtter vi ikke\n• alkohol" in text, text


def test_what_is_not_supported_is_answered_by_what_is_not(real_style: Answerer) -> None:
    # With the town's name in the question, the sentences naming the pool and Nordby
    # outscored the list under "Det støtter vi ikke", which shares no other word with it.
    text = render_text(real_style.answer("Hvad støtter § 18-puljen i Nordby ikke?"))[:900]
    assert "• løn til ansatte" in text and "• alkohol" in text, text


def test_a_question_no_top_passage_shares_a_word_with_is_not_answered(
        real_style: Answerer) -> None:
    # Near the pages by meaning alone: "pas" and "barn" are words of the index, but no
    # passage found holds them.
    answer = real_style.answer("hvordan får jeg et nyt pas til mit barn")
    assert not answer.found, render_text(answer)


def test_who_is_answered_by_the_sentence_naming_who(real_style: Answerer) -> None:
    # "decides" shares no word with "vurderer"; the cleft "Det er X, der ..." says who.
    answer = real_style.answer("Who decides whether our new employee gets a mentor?")
    assert "Det er jobcentret, der vurderer behovet." in render_text(answer)[:900]


def test_a_name_asked_for_is_answered_by_the_title_in_quotation_marks(
        real_style: Answerer) -> None:
    # The strategy's name is two sentences after the one about the strategy.
    answer = real_style.answer("What is the name of Nordby's strategy for social enterprises?")
    assert "”Job med mening”" in render_text(answer)[:900]


def test_free_is_an_answer_to_what_it_costs(real_style: Answerer) -> None:
    answer = real_style.answer("koster en børneattest noget?")
    assert answer.found and "koster ikke noget" in render_text(answer)[:900]


def test_a_label_line_holding_the_e_mail_asked_for_answers(real_style: Answerer) -> None:
    # "Ansøgning om mentor sendes til mentor@eksempel.dk" has no end punctuation: a label,
    # which is context and never quoted, unless it holds the kind of fact asked for. The
    # address is in no sentence of the page.
    answer = real_style.answer("hvilken e-mail skal vi sende ansøgningen om mentor til?")
    assert answer.found and "mentor@eksempel.dk" in render_text(answer)[:900]


def test_a_way_to_send_named_in_the_question_is_not_a_contact_asked_for(
        real_style: Answerer) -> None:
    # "på mail" says how to send; asked for a contact, the page's contact box came first
    # and the sentence saying where applications go was not quoted.
    answer = real_style.answer("kan vi sende ansøgningen om godkendelse som folkeoplysende "
                               "forening på mail?")
    assert quoted(render_text(answer)).startswith("Send ansøgningen via foreningsportalen.")


def test_an_address_line_answers_where_the_office_is(real_style: Answerer) -> None:
    # The address is a line without end punctuation under the office's name: a label,
    # which is context, except when it holds the kind of fact asked for.
    text = render_text(real_style.answer("hvad er adressen på Eksempel Kommune?"))[:900]
    assert "Torvet 5, 9999 Eksempelby" in text


@pytest.mark.parametrize(("question", "whose", "number"), [
    ("who is the contact for volunteer grants in Nordby?", "Frivilligkonsulent Anne Holm",
     "Telefon 44 12 34 56"),
    ("social enterprise consultant phone number?", "Socialøkonomisk konsulent Jonas Berg",
     "Telefon 44 12 36 70"),
])
def test_a_phone_number_is_quoted_with_whose_it_is_and_not_under_a_bare_heading(
        real_style: Answerer, question: str, whose: str, number: str) -> None:
    # A contact box is label lines: "Kontakt", the person, the phone, the e-mail. The
    # phone line is data; the person's line above says whose it is; "Kontakt" names
    # the kind of fact and is no answer.
    text = quoted(render_text(real_style.answer(question)))
    assert f"{whose}\n{number}" in text, text
    assert not re.search(r"^Kontakt( \[\d+\])?$", text, re.MULTILINE), text
