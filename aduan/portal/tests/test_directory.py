"""The directory of complaint handlers (/direktori/), Pasal 3(2)a."""

from __future__ import annotations

import pytest

from aduan.agencies.models import Agency

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def handlers(buton: Agency) -> dict[str, Agency]:
    Agency.objects.filter(code="diskominfo").update(
        handler_name="Admin SP4N-LAPOR! Dinas Kominfo",
        office_address="Jl. Protokol No. 1, Pasarwajo",
        phone="0402 123 456",
        email="aduan@butonkab.go.id",
        website="https://diskominfo.butonkab.go.id",
    )
    Agency.objects.filter(code="dpupr").update(
        handler_name="La Ode Penghubung", office_address="Jl. Poros Pasarwajo Km 3"
    )
    Agency.objects.filter(code="dinkes").update(is_active=False)
    return {a.code: a for a in Agency.objects.filter(code__in=["diskominfo", "dpupr", "dinkes"])}


def test_directory_lists_every_active_handler_coordinator_first(client, handlers):
    """R3, Pasal 3(2)a: each agency's complaint handler with name, office address and contacts;
    the coordinating Dinas first; inactive agencies left out."""
    response = client.get("/direktori/", **EN)
    html = response.content.decode()
    assert response.status_code == 200
    cards = response.context["agencies"]
    assert cards[0].code == "diskominfo"
    assert len(cards) == Agency.objects.filter(is_active=True).count()
    for text in (
        "Admin SP4N-LAPOR! Dinas Kominfo",
        "Jl. Protokol No. 1, Pasarwajo",
        'href="tel:0402123456"',
        'href="mailto:aduan@butonkab.go.id"',
        "https://diskominfo.butonkab.go.id",
        "La Ode Penghubung",
        "Jl. Poros Pasarwajo Km 3",
        "Not yet published",  # agencies whose handler is not entered yet
    ):
        assert text in html, text
    assert handlers["dinkes"].name not in html
    assert html.index(handlers["diskominfo"].name) < html.index(handlers["dpupr"].name)


def test_directory_filters_by_name_without_javascript(client, handlers):
    """A GET search by agency name (works without JavaScript)."""
    response = client.get("/direktori/", {"q": "pekerjaan umum"}, **EN)
    names = [a.code for a in response.context["agencies"]]
    assert names == ["dpupr"]
    assert "Show all agencies" in response.content.decode()


def test_directory_search_too_long_is_an_error_next_to_the_field(client, handlers):
    response = client.get("/direktori/", {"q": "x" * 500}, **EN)
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_q-error"' in html
    assert len(response.context["agencies"]) == Agency.objects.filter(is_active=True).count()
