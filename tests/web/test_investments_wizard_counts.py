"""The investment import's review as the tester met it (issue 10): its counts add up to the
rows of the file and say what storing the valid rows would do, every problem of a row is
listed at once (as the RT import lists them), and a rule set is named as people name it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.test_investments_wizard import HEADER, HERE, SARANG_HALANG, places, upload

pytestmark = pytest.mark.django_db
__all__ = ["places"]  # the fixture

ROW = f"{SARANG_HALANG},L-01,001,2023,%s,%s,m,%s,apbd,%s\n"


def test_the_counts_add_up_to_the_rows_and_say_what_storing_would_do(places: Any) -> None:
    good = [ROW % ("2b", "120", "Jalan", "1000"), ROW % ("4b", "50", "Saluran", "900")]
    bad = [
        ROW % ("2b", "-4", "Jalan A", "1000"),
        ROW % ("9z", "5", "Jalan B", "1000"),
        ROW % ("2b", "x", "Jalan C", "1000"),
        ROW % ("2b", "7", "Jalan D", "-5"),
    ]
    client = places.client("admin")
    response = upload(client, "63.01", HEADER + "".join(good + bad))
    review = client.get(response.url)
    report = review.context["report"]
    assert report["rows_total"] == 6
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["rejected"] == 4
    counts = ("created", "updated", "unchanged", "rejected")
    assert sum(report[k] for k in counts) == 6
    html = review.content.decode()
    assert 'id="count-new">2<' in html
    assert "2 baris yang valid" in html


def test_every_problem_of_a_row_is_listed_with_the_rule_set_named(places: Any) -> None:
    client = places.client("admin")
    row = ROW % ("9z", "-4", "Jalan", "banyak")
    response = upload(client, "63.01", HEADER + HERE + row)
    review = client.get(response.url)
    errors = review.context["errors"]
    found = {(p["column"], p["value"]) for p in errors if p["row"] == "3"}
    assert found == {("volume", "-4"), ("biaya_rp", "banyak"), ("kriteria", "9z")}
    assert {p["row"] for p in errors} == {"3"}
    [reason] = [p["reason"] for p in errors if p["column"] == "kriteria"]
    assert "Permen PUPR No. 14/PRT/M/2018" in reason
    assert "permen-pupr" not in review.content.decode()
