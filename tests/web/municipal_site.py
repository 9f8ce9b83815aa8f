"""Søby Kommune's website as a CMS would serve it: chrome around every page, PDFs, faults.

The pages carry what real municipal pages carry around their text: a cookie banner,
a skip link, a main menu, breadcrumbs, a sidebar, the title in a `page-header`
wrapper inside a `layout--with-sidebar` layout, share links and a footer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.sample_files import write_docx, write_pdf
from tests.web.site_server import Resource, SiteServer

FRIST_18 = "Ansøgningsfristen for § 18-puljen er den 1. marts kl. 12.00."
NY_FRIST_18 = "Ansøgningsfristen for § 18-puljen er rykket til den 15. marts kl. 12.00."
LOKALETILSKUD = "Foreninger kan få tilskud til op til 75 procent af udgifterne til leje af lokaler."
AKTIVITET = "Aktivitetstilskuddet er 150 kr. pr. medlem under 25 år om året."
FRIVILLIG = "Frivillighedsprisen gives hvert år til en forening på Ærø eller i Søby, der gør en særlig indsats."
MOEDELOKALER = "Kommunens mødelokaler på rådhuset kan lånes gratis af godkendte foreninger."
NEDLAGT = "Udflugtspuljen til foreningers sommerture er lukket for nye ansøgninger."
SOMMER = "Sommerpuljen støtter ferieaktiviteter for børn i skolernes sommerferie."
PRAKTIK = "En virksomhedspraktik varer normalt op til fire uger."
LOENTILSKUD = "Løntilskud til ledige kan gives i op til seks måneder ad gangen."
MENTOR = "En mentor kan støtte en ny medarbejder i de første tre måneder."
PDF_TEXT = "Regnskabet for § 18-midler skal sendes til kommunen senest den 1. april året efter."
DOCX_TEXT = "Vedlæg lejekontrakten og foreningens seneste årsregnskab."
INTERN = "Kladde med interne noter om pointmodellen."
CHROME = ("Vi bruger cookies", "Gå til hovedindhold", "Hovedmenu", "Forside", "Relaterede sider",
          "Del på Facebook", "Rådhustorvet 1", "Tilgængelighedserklæring",
          "Sidst opdateret", "Opdateret 30. juni")  # the page's date: its metadata

PAGES = {  # path: text that must be found from it
    "/tilskud/": "Søby Kommune giver tilskud",
    "/tilskud/paragraf-18-puljen": FRIST_18,
    "/tilskud/lokaletilskud": LOKALETILSKUD,
    "/tilskud/aktivitetstilskud": AKTIVITET,
    "/foreninger/frivillighed": FRIVILLIG,
    "/foreninger/lokaler-og-faciliteter": MOEDELOKALER,
    "/foreninger/udflugtspuljen": NEDLAGT,
    "/foreninger/sommerpulje": SOMMER,
    "/erhverv/virksomhedspraktik": PRAKTIK,
    "/erhverv/loentilskud": LOENTILSKUD,
    "/erhverv/mentorordning": MENTOR,
    "/media/regnskab-paragraf-18.pdf": PDF_TEXT,
    "/media/ansoegning-lokaletilskud.docx": DOCX_TEXT,
}


def page(title: str, main: str, *, head: str = "", charset: str = "utf-8") -> str:
    """Return a whole CMS page: the main content inside the site's chrome."""
    return f"""<!doctype html>
<html lang="da"><head><meta charset="{charset}"><title>{title} | Søby Kommune</title>
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<script>window.dataLayer = window.dataLayer || [];</script></head>
<body class="page-node layout--with-sidebar">
<a class="skip-link" href="#main-content">Gå til hovedindhold</a>
<div id="cookie-consent" class="cookie-banner" role="dialog"><p>Vi bruger cookies til at huske
dine valg og til at lave statistik over, hvordan siden bruges. Du kan altid trække dit samtykke
tilbage.</p><button>Accepter alle</button> <button>Kun nødvendige</button></div>
<header class="site-header"><a class="logo" href="/">Søby Kommune</a>
<nav class="main-menu" aria-label="Hovedmenu"><ul><li><a href="/borger/">Borger</a></li>
<li><a href="/tilskud/">Tilskud og puljer</a></li><li><a href="/foreninger/">Foreninger</a></li>
<li><a href="/erhverv/">Erhverv</a></li></ul></nav></header>
<nav class="breadcrumb" aria-label="Brødkrummesti"><ol><li><a href="/">Forside</a></li>
<li><a href="/tilskud/">Tilskud og puljer</a></li><li>{title}</li></ol></nav>
<div class="layout--with-sidebar">
<aside class="sidebar"><h2>Relaterede sider</h2><ul><li><a href="/tilskud/">Alle tilskud og puljer</a></li>
<li><a href="/kontakt/">Kontakt kommunen</a></li></ul></aside>
<main id="main-content" class="main-content">
<div class="page-header"><h1>{title}</h1></div>
<div class="field--body">{main}</div>
<div class="share-links">Del siden: <a href="https://www.facebook.com/sharer">Del på Facebook</a>
<a href="https://www.linkedin.com/share">Del på LinkedIn</a></div>
</main></div>
<footer class="site-footer"><p>Søby Kommune · Rådhustorvet 1 · 9999 Søby · tlf. 99 99 99 99</p>
<p><a href="/om/tilgaengelighed">Tilgængelighedserklæring</a> · <a href="/om/cookies">Cookies</a></p>
</footer></body></html>"""


def _html(title: str, main: str, **kw: str) -> bytes:
    return page(title, main, **kw).encode("utf-8")


def _files() -> tuple[bytes, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        pdf = write_pdf(Path(folder) / "r.pdf", [
            [("Regnskab", PDF_TEXT + " Regnskabet underskrives af bestyrelsen.")],
            [("Revision", "Ved tilskud over 50.000 kr. skal regnskabet have en revisorerklæring.")]],
            title="Regnskab for § 18-midler")
        docx = write_docx(Path(folder) / "a.docx", [
            (1, "Ansøgning om lokaletilskud"), (None, "Udfyld skemaet og send det til kommunen."),
            (2, "Bilag"), (None, DOCX_TEXT)])
        return pdf.read_bytes(), docx.read_bytes()


def build_site(site: SiteServer) -> SiteServer:
    """Fill the server with Søby Kommune's pages, files, sitemaps and robots.txt."""
    other_host = site.base_url.replace("127.0.0.1", "localhost")
    site.robots = f"User-agent: *\nDisallow: /intern/\n\nSitemap: {site.url('/sitemap.xml')}\n"
    site.sitemap_indexes = {
        "/sitemap.xml": ["/sitemaps/tilskud.xml", "/sitemaps/foreninger.xml.gz",
                         "/sitemaps/erhverv-index.xml"],
        "/sitemaps/erhverv-index.xml": ["/sitemaps/erhverv.xml"],
    }
    pdf, docx = _files()
    r = site.resources
    r["/tilskud/"] = Resource(_html("Tilskud og puljer", (
        "<p>Søby Kommune giver tilskud til foreninger, frivillige og virksomheder. Her finder du "
        "kommunens puljer og hvordan du søger dem.</p><ul>"
        '<li><a href="/tilskud/paragraf-18-puljen">§ 18-puljen</a></li>'
        '<li><a href="/tilskud/paragraf-18-puljen?utm_source=nyhedsbrev#frister">Frist for § 18</a></li>'
        '<li><a href="/tilskud/lokaletilskud">Lokaletilskud</a></li>'
        '<li><a href="/tilskud/aktivitetstilskud">Aktivitetstilskud</a></li>'
        '<li><a href="/tilskud/ekstern-pulje">Pulje hos en partner</a></li>'
        '<li><a href="/intern/kladde">Kladde</a></li></ul>')), etag=True, sitemap="tilskud")
    r["/tilskud/paragraf-18-puljen"] = Resource(_html("§ 18-puljen", (
        "<p>§ 18-puljen støtter frivilligt socialt arbejde for sårbare borgere i Søby.</p>"
        f'<h2 id="frister">Frister</h2><p>{FRIST_18} Svar gives i maj.</p>'
        '<h2>Regnskab</h2><p>Læs <a href="/media/regnskab-paragraf-18.pdf">vejledningen om '
        "regnskab (PDF)</a>, før du søger.</p>"
        f'<p>Se også <a href="{other_host}/tilskud/hemmelig">puljen for særlige formål</a> og '
        '<a href="https://www.borger.dk/frivillig">borger.dk</a>.</p>'),
        head=f'\n<link rel="canonical" href="{site.url("/tilskud/paragraf-18-puljen")}">'
        '\n<meta name="dcterms.modified" content="2025-11-03">'),
        etag=True, last_modified=True, sitemap="tilskud")
    r["/tilskud/lokaletilskud"] = Resource(_html("Lokaletilskud", (
        f"<h2>Hvem kan få tilskud</h2><p>{LOKALETILSKUD}</p><h2>Sådan søger I</h2>"
        '<p>Brug <a href="/media/ansoegning-lokaletilskud.docx">ansøgningsskemaet (Word)</a>.</p>'
        '<p class="updated">Opdateret <time datetime="2024-06-30">30. juni 2024</time></p>')),
        last_modified=True, sitemap="tilskud")
    r["/tilskud/aktivitetstilskud"] = Resource(_html("Aktivitetstilskud", (
        f"<p>{AKTIVITET}</p><ul><li>Medlemslister</li><li>Regnskab</li></ul>"
        '<p class="last-updated">Sidst opdateret 10/12 2014</p>')), sitemap="tilskud")
    r["/tilskud/ekstern-pulje"] = Resource(status=302, location=f"{other_host}/tilskud/ekstern-pulje",
                                           sitemap="tilskud")
    r["/foreninger/frivillighed"] = Resource(
        page("Frivillighed", f"<h2>Frivillighedsprisen</h2><p>{FRIVILLIG}</p>",
             charset="iso-8859-1").encode("latin-1"),
        content_type="text/html", sitemap="foreninger", lastmod=False)
    r["/foreninger/lokaler"] = Resource(status=301, location="/foreninger/lokaler-og-faciliteter",
                                        sitemap="foreninger", lastmod=False)
    r["/foreninger/lokaler-og-faciliteter"] = Resource(_html("Lokaler og faciliteter",
        f"<h2>Mødelokaler</h2><p>{MOEDELOKALER}</p>"), etag=True)
    r["/foreninger/udflugtspuljen"] = Resource(_html("Udflugtspuljen", f"<p>{NEDLAGT}</p>"),
                                               last_modified=True, sitemap="foreninger", lastmod=False)
    r["/foreninger/sommerpulje"] = Resource(_html("Sommerpuljen", f"<p>{SOMMER}</p>"), etag=True,
                                            sitemap="foreninger", lastmod=False)
    r["/erhverv/virksomhedspraktik"] = Resource(_html("Virksomhedspraktik", f"<p>{PRAKTIK}</p>"),
                                                volatile_last_modified=True, sitemap="erhverv",
                                                lastmod=False)
    r["/erhverv/loentilskud"] = Resource(_html("Løntilskud", f"<p>{LOENTILSKUD}</p>"), etag=True,
                                         sitemap="erhverv", lastmod=False)
    r["/erhverv/mentorordning"] = Resource(_html("Mentorordning", f"<p>{MENTOR}</p>"), etag=True,
                                           sitemap="erhverv", lastmod=False)
    r["/erhverv/erhvervskort"] = Resource(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, "image/png",
                                          sitemap="erhverv")
    r["/erhverv/aarsrapport"] = Resource(_html("Årsrapport", "<p>Tal og tabeller.</p>" * 120_000),
                                         sitemap="erhverv", unsized=True)
    r["/intern/kladde"] = Resource(_html("Kladde", f"<p>{INTERN}</p>"), sitemap="erhverv")
    r["/media/regnskab-paragraf-18.pdf"] = Resource(pdf, "application/pdf", etag=True)
    r["/media/ansoegning-lokaletilskud.docx"] = Resource(
        docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        last_modified=True)
    return site

