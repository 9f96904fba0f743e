"""The small town both suppression suites count (the statistics page and the public API, S1):
one dataset, so that page and API are checked against the same cells."""

from __future__ import annotations

from typing import Any

from aduan.agencies.models import Category, Region
from aduan.complaints.tests import factories as f
from aduan.complaints.tests.workflow.support import wita


def build_town(time_machine: Any) -> dict[str, str]:
    """Ten complaints, each table split 5 / 4 / 1: in June 5 to DPUPR about roads in Pasarwajo
    (4 answered, 2 of them rated), in May 4 to Dinkes about health in Kapontori (3 answered,
    1 late), in April 1 to Disdik about schools in Wolowa (answered). The lone 1 is the small
    count; the 4 must be hidden with it (complementary), or 10 - 5 - 4 would give the 1.
    Returns the three agencies' names by code; the clock stays at 10 June 2026, 10:00 WITA."""
    road, health, school = (Category.objects.get(code=c) for c in ("K01.01", "K03", "K04"))
    wakoko, kapontori, wolowa = (
        Region.objects.get(code=c) for c in ("74.04.11.1005", "74.04.22", "74.04.28")
    )
    time_machine.move_to(wita(2026, 4, 15, 10), tick=False)
    f.responded("disdik", category=school, region=wolowa)
    time_machine.move_to(wita(2026, 5, 12, 10), tick=False)
    for i in range(4):
        make = f.responded if i < 3 else f.dispatched
        make("dinkes", category=health, region=kapontori)
    time_machine.move_to(wita(2026, 6, 9, 10), tick=False)
    f.closed("dpupr", satisfaction=5, category=road, region=wakoko)
    f.closed("dpupr", satisfaction=2, category=road, region=wakoko)
    f.responded("dpupr", category=road, region=wakoko)
    f.responded("dpupr", category=road, region=wakoko)
    f.dispatched("dpupr", category=road, region=wakoko)
    time_machine.move_to(wita(2026, 6, 10, 10), tick=False)
    return {code: f.agency(code).name for code in ("dpupr", "dinkes", "disdik")}
