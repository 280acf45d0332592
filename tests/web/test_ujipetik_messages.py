"""The uji petik draw's refusals, as a person reads them: in Bahasa Indonesia, once."""

from __future__ import annotations

import pytest

from sikumuh.inspections.models import UjiPetik
from tests.conftest import Personas
from tests.inspections.helpers import build_works
from tests.web.test_ujipetik import draw_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        # 2020 has activities but no RT data: offered by the form, refused by the draw.
        (
            {"tahun": ["2020"], "population": "rts", "strata": ["kecamatan"]},
            "tidak ada data RT di Kabupaten Tanah Laut pada 2020",
        ),
        ({"purposive": "999999"}, "tambahan purposif 999999 tidak berada di Kabupaten Tanah Laut"),
    ],
)
def test_a_refused_draw_says_why_in_indonesian_once(
    personas: Personas, changes: dict[str, object], sentence: str
) -> None:
    build_works()
    response = personas.client("admin").post("/wilayah/63.01/uji-petik/", draw_data(**changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count(sentence) == 1, page[page.find('id="draw"') :][:2000]
    assert UjiPetik.objects.count() == 0


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        (
            (
                "n = 15 is below the 20 items the minimum of 2 per stratum needs; "
                "the sample has 20 random items"
            ),
            "n = 15 lebih kecil daripada 20 butir",
        ),
        (
            "n = 50 is above the population of 12: every item is taken",
            "n = 50 melebihi populasi 12",
        ),
        ("something else", "something else"),
    ],
)
def test_the_sampling_notes_read_in_indonesian(note: str, shown: str) -> None:
    from django.utils import translation

    from sikumuh.web.templatetags.words import sample_note

    with translation.override("id"):
        assert sample_note(note).startswith(shown)
