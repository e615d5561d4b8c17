"""What the public pages tell a reader (issue 9): agreements with their parties, every cited
source with its reference and link, one row per organisation with all its roles, what cites
each source, and one language per page. Against the shipped reference data."""

from __future__ import annotations

import html
import re

import pytest
from django.apps import apps
from django.core.cache import caches

from imvo.agreements.models import Agreement, Convention, Target, TargetVersion
from imvo.core.audit import Actor
from imvo.initiatives.models import Initiative
from imvo.organisations.models import Organisation
from imvo.parliament.models import Commitment
from imvo.risks.models import Theme, ThemeAdvice
from imvo.sectors.models import Sector
from imvo.sources.models import Source
from imvo.sources.selectors import CITING_KINDS
from imvo.trajectories.models import (
    Event,
    GovernmentAction,
    Participation,
    PhaseRecord,
    Trajectory,
)
from imvo.trajectories.services import phase_record_correct

pytestmark = pytest.mark.django_db

#: Every model that cites a source, with its Dutch words (singular, plural) on the sources page.
CITING = [
    (PhaseRecord, "faseregistratie", "faseregistraties"),
    (Event, "gebeurtenis", "gebeurtenissen"),
    (Participation, "deelname", "deelnames"),
    (Agreement, "afspraak", "afspraken"),
    (Initiative, "initiatief", "initiatieven"),
    (GovernmentAction, "overheidsactie", "overheidsacties"),
    (ThemeAdvice, "adviesrol bij een thema", "adviesrollen bij thema's"),
    (TargetVersion, "versie van een doel", "versies van doelen"),
    (Target, "doel", "doelen"),
    (Convention, "telwijze", "telwijzen"),
    (Trajectory, "traject", "trajecten"),
    (Organisation, "organisatie", "organisaties"),
    (Sector, "sector", "sectoren"),
    (Theme, "thema", "thema's"),
    (Commitment, "toezegging of motie", "toezeggingen en moties"),
]


@pytest.fixture(autouse=True)
def _fresh_pages():
    """Pages rendered now, not answered from the page cache of an earlier test."""
    for cache in caches.all():
        cache.clear()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _section(page: str, heading: str) -> str:
    """The part of a page from the ``<h2>`` ``heading`` to the next ``<h2>``."""
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start : end if end != -1 else None]


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _link(source: Source) -> str:
    return f'<a href="{html.escape(source.url)}">{html.escape(source.title)}</a>'


# --- agreements ------------------------------------------------------------------------------


def test_a_signed_agreement_shows_its_date_parties_term_and_source(client):
    agreement = Agreement.objects.current().get(key="textile-2016")
    page = _page(client, "/trajecten/textile/?peildatum=2022-01-01")
    section = _section(page, "Afspraken")
    text = _text(section)
    assert agreement.title_nl in text
    assert "IMVO-convenant, ondertekend 4 juli 2016" in text
    assert "beëindigd 31 december 2021 (de looptijd van het convenant is verstreken)" in text
    # the named parties, grouped by kind, each group counted (computed from the records)
    parties = list(agreement.parties.all())
    unions = sorted(o.name_nl for o in parties if o.kind == "trade_union")
    associations = sorted(o.name_nl for o in parties if o.kind == "business_association")
    assert (len(unions), len(associations)) == (2, 3)
    assert f"2 vakbonden: {', '.join(unions)}" in text
    assert f"3 brancheorganisaties: {', '.join(associations)}" in text
    assert "1 ministerie of overheidsorgaan: Ministerie van Buitenlandse Zaken" in text
    for organisation in parties:
        assert organisation.name_nl in text
    # the parties as the source describes them: the count of companies is there
    assert "Zoals de bron ze beschrijft: 55 kleding- en textielbedrijven" in text
    # and the source of the record, with its passage
    assert _link(agreement.source) in section
    assert agreement.source_locator in text


def test_an_agreement_with_only_described_parties_shows_the_description(client):
    coal = Agreement.objects.current().get(key="coal-2014")
    assert not coal.parties.exists()
    text = _text(_section(_page(client, "/trajecten/coal/"), "Afspraken"))
    assert "Andere sectorafspraak, ondertekend 17 november 2014" in text
    assert f"Partijen: {coal.parties_nl}" in text
    assert "Zoals de bron ze beschrijft" not in text  # nothing named to contrast with


def test_the_english_page_groups_the_parties_in_english(client):
    text = _text(_section(_page(client, "/trajecten/banking/?lang=en"), "Agreements"))
    assert "IMVO covenant, signed 28 October 2016; in force from 7 December 2016." in text
    assert (
        "3 civil society organisations: Amnesty International Netherlands, Oxfam Novib, PAX" in text
    )
    assert "2 trade unions: CNV (National Federation of Christian Trade Unions), FNV" in text
    assert "1 business association: Dutch Banking Association (NVB)" in text
    assert "2 ministries or government bodies: Ministry of Finance, Ministry of Foreign" in text
    assert "As the source describes them: 13 banks" in text


# --- citations -------------------------------------------------------------------------------


def test_a_cited_source_with_a_url_is_a_link_with_its_reference(client):
    source = Source.objects.get(key="kamerstuk-26485-195")
    assert source.url and source.reference
    page = _page(client, "/trajecten/coal/")
    cited = f"<cite>{_link(source)}</cite> ({html.escape(source.reference)})"
    assert cited in _section(page, "Afspraken")  # where the agreement cites it
    assert cited in _section(page, "Bronnen")  # and in the list of sources
    assert 'target="_blank"' not in page  # external links open in the same tab


def test_a_source_without_a_url_is_cited_without_a_link(client):
    letter = Source.objects.get(key="letter-2015-07-10")
    assert not letter.url
    page = _page(client, "/trajecten/textile/")
    cited = f"<cite>{html.escape(letter.title)}</cite> ({letter.reference}), §2, textielsector"
    assert cited in _section(page, "Fasegeschiedenis")
    assert cited in _section(page, "Organisaties en rollen")
    assert cited in _section(page, "Gebeurtenissen")
    assert cited in _section(page, "Bestaande initiatieven waarop het voortbouwt")


def test_every_source_cited_on_a_trajectory_page_is_linked_where_it_has_a_url(client):
    page = _page(client, "/trajecten/metal/")
    trajectory = Trajectory.objects.get(slug="metal")
    cited = {trajectory.source}
    for model in (PhaseRecord, Participation, Agreement):
        records = model.objects.filter(trajectory=trajectory)
        if model is not PhaseRecord:
            records = records.current()
        cited |= {r.source for r in records}
    cited |= {e.source for e in Event.objects.current().filter(trajectories=trajectory)}
    sources = _section(page, "Bronnen")
    for source in cited:
        if source.url:
            assert _link(source) in sources, source.key
        else:
            assert f"<cite>{html.escape(source.title)}</cite>" in sources, source.key
        if source.reference:
            assert html.escape(source.reference) in sources, source.key


def test_sector_and_programme_pages_cite_with_reference_and_link(client):
    sector = Sector.objects.get(slug="floriculture")
    page = _page(client, "/sectoren/floriculture/")
    assert f"<cite>{html.escape(sector.source.title)}</cite> ({sector.source.reference})" in page
    programme = _page(client, "/programma/")
    event = Event.objects.current().get(key__contains="natural-stone", kind="signing")
    assert event.source.url
    assert _link(event.source) in _section(programme, "Gebeurtenissen")
    theme = Theme.objects.filter(cross_sector=True).first()
    themes = _section(programme, "Sectoroverstijgende thema's")
    assert f"({theme.source.reference}), {theme.source_locator}" in themes
    action = GovernmentAction.objects.current().first()
    roles = _section(programme, "Rol van de overheid")
    assert f"<cite>{html.escape(action.source.title)}</cite> ({action.source.reference})" in roles


# --- organisations and roles -----------------------------------------------------------------


def test_an_organisation_with_several_roles_appears_once_with_all_of_them(client):
    roles = list(
        Participation.objects.current()
        .filter(trajectory__slug="textile", organisation__key="ser")
        .values_list("role", flat=True)
    )
    assert sorted(roles) == ["convenor", "mediator", "penvoerder"]
    section = _section(_page(client, "/trajecten/textile/"), "Organisaties en rollen")
    rows = [_text(row) for row in section.split("<tr>")[2:]]  # after the caption and header
    ser = [row for row in rows if row.startswith("Sociaal-Economische Raad (SER)")]
    assert len(ser) == 1
    assert "convenor, mediator, penvoerder" in ser[0]
    assert "Levert en ondersteunt ook een externe voorzitter." in ser[0]
    # one row per organisation, and organisations by their most prominent role: initiators first
    organisations = (
        Participation.objects.current()
        .filter(trajectory__slug="textile")
        .values("organisation")
        .distinct()
    )
    assert len(rows) == organisations.count() == 4
    assert [row.split()[0] for row in rows] == ["Inretail", "Modint", "VGT", "Sociaal-Economische"]


def test_a_role_shows_its_period(client):
    idh = Participation.objects.current().get(
        trajectory__slug="floriculture", organisation__key="idh"
    )
    assert idh.valid_from and idh.valid_until
    text = _text(_section(_page(client, "/trajecten/floriculture/"), "Organisaties en rollen"))
    assert "begeleider (2 juli 2019 tot en met 22 september 2022)" in text
    assert "partij (vanaf 2 juli 2019)" in text
    english = _page(client, "/trajecten/floriculture/?lang=en")
    text = _text(_section(english, "Organisations and roles"))
    assert "facilitator (2 July 2019 to 22 September 2022)" in text
    assert "party (from 2 July 2019)" in text


# --- the sources page ------------------------------------------------------------------------


def test_the_table_of_citing_kinds_names_every_model_that_cites_a_source():
    citing = {
        model._meta.label_lower
        for model in apps.get_models()
        for field in model._meta.fields
        if getattr(field, "related_model", None) is Source
        and not model.__name__.startswith("Historical")
    }
    assert citing == set(CITING_KINDS) == {m._meta.label_lower for m, *_ in CITING}


def test_the_sources_page_counts_what_cites_each_source_per_kind(client):
    page = _page(client, "/bronnen/")
    rows = [row.split("</tr>")[0] for row in page.split("<tr>")]
    checked = 0
    for source in Source.objects.all():
        parts = []
        for model, one, many in CITING:
            n = model.objects.filter(source=source).count()
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        expected = ", ".join(parts) or "—"
        title = f">{html.escape(source.title)}<"
        (row,) = [r for r in rows if title in r]
        assert row.endswith(f"<td>{html.escape(expected)}</td>"), source.key
        if source.url:
            assert _link(source) in row
        checked += len(parts)
    assert checked > 50  # the reference data cites its sources from many kinds of record


def test_the_sources_page_counts_in_english_with_plurals(client):
    letter = Source.objects.get(key="letter-2015-07-10")
    phases = PhaseRecord.objects.filter(source=letter).count()
    events = Event.objects.filter(source=letter).count()
    text = _text(_page(client, "/bronnen/?lang=en"))
    assert f"{phases} phase records, {events} events," in text
    assert re.search(r"\b1 (event|agreement|participation|organisation)\b", text)  # singular


def test_the_sources_page_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        _page(client, "/bronnen/")


def test_the_trajectory_page_takes_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    for slug in ("textile", "banking", "metal"):
        with django_assert_max_num_queries(25):
            _page(client, f"/trajecten/{slug}/")


# --- the phase history -----------------------------------------------------------------------


def test_a_superseded_phase_record_is_still_shown_as_superseded(client):
    record = PhaseRecord.objects.get(key="textile-negotiation")
    phase_record_correct(record=record, values={"note_nl": "Gecorrigeerd."}, actor=Actor("test"))
    history = _section(_page(client, "/trajecten/textile/"), "Fasegeschiedenis")
    assert history.count('<li class="superseded">') == 1
    assert "vervangen door een correctie op" in history
    assert "Gecorrigeerd." in history


# --- one language per page -------------------------------------------------------------------

#: Labels this page printed in the wrong language, or prints now: none may be on the other page.
DUTCH_LABELS = [
    "datum niet genoemd",
    "datum niet vermeld",
    "Bron:",
    "Partijen:",
    "Rollen",
    "Zoals de bron ze beschrijft",
    "brancheorganisatie",
    "vakbond",
    "ondertekend",
    "in werking vanaf",
    "beëindigd",
    "vanaf",
    "tot en met",
    "faseregistratie",
    "gebeurtenis",
    "deelname",
]
ENGLISH_LABELS = [
    "date not stated",
    "Source:",
    "Parties:",
    "Roles",
    "As the source describes them",
    "business association",
    "trade union",
    "signed",
    "in force from",
    "the agreement ran its term",
    "(from ",
    " to ",
    "phase record",
    "participation",
]
PAGES = [
    "/trajecten/textile/",
    "/trajecten/construction/",
    "/trajecten/agriculture/",
    "/trajecten/floriculture/",
    "/programma/",
    "/bronnen/",
]


def _labels_of(page: str) -> str:
    """The page's own words: without the titles and passages of cited documents, quotations
    of the sources' wording and source notes, which keep their own language."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<cite>.*?</cite>", "", main, flags=re.S)
    main = re.sub(r'<span lang="nl">.*?</span>', "", main, flags=re.S)
    main = re.sub(r"<svg.*?</svg>", "", main, flags=re.S)
    return _text(main)


@pytest.mark.parametrize("url", PAGES)
def test_the_english_page_has_none_of_the_dutch_labels(client, url):
    text = _labels_of(_page(client, url + "?lang=en"))
    found = [label for label in DUTCH_LABELS if label in text]
    assert found == []


@pytest.mark.parametrize("url", PAGES)
def test_the_dutch_page_has_none_of_the_english_labels(client, url):
    text = _labels_of(_page(client, url + "?lang=nl"))
    found = [label for label in ENGLISH_LABELS if label in text]
    assert found == []


def test_the_labels_checked_are_there_in_their_own_language(client):
    """The lists above are not vacuous: each page shows labels of its own language."""
    dutch = _labels_of(_page(client, "/trajecten/textile/?lang=nl"))
    english = _labels_of(_page(client, "/trajecten/textile/?lang=en"))
    assert {"Bron:", "Partijen:", "Rollen", "vakbond", "ondertekend"} <= {
        label for label in DUTCH_LABELS if label in dutch
    }
    assert {"Source:", "Parties:", "Roles", "trade union", "signed"} <= {
        label for label in ENGLISH_LABELS if label in english
    }


def test_an_undated_event_says_so_in_the_page_language(client):
    event = Event.objects.current().get(date=None, date_text="datum niet genoemd")
    (slug,) = event.trajectories.values_list("slug", flat=True)
    english = _text(_section(_page(client, f"/trajecten/{slug}/?lang=en"), "Events"))
    assert "date not stated in the source" in english
    dutch = _text(_section(_page(client, f"/trajecten/{slug}/?lang=nl"), "Gebeurtenissen"))
    assert "datum niet vermeld in de bron" in dutch
    assert "datum niet genoemd" not in dutch  # the editor's note, not a quotation
