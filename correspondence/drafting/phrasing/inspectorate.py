"""The inspectorate as it was named on a letter's date: HMIC until fire and rescue joined it, Her
Majesty's until the accession of Charles III."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRE_AND_RESCUE_ADDED = dt.date(2017, 7, 19)  # HMIC took on fire and rescue inspection: HMICFRS


ACCESSION_OF_CHARLES_III = dt.date(2022, 9, 8)  # Her Majesty's became His Majesty's


@dataclass(frozen=True)
class Inspectorate:
    name: str
    short_name: str


def inspectorate_on(day: dt.date) -> Inspectorate:
    """The inspectorate as it was named on ``day``: HMIC until 18 July 2017, then HMICFRS, and
    His Majesty's rather than Her Majesty's from 8 September 2022."""
    majesty = "His Majesty's" if day >= ACCESSION_OF_CHARLES_III else "Her Majesty's"
    if day < FIRE_AND_RESCUE_ADDED:
        return Inspectorate(f"{majesty} Inspectorate of Constabulary", "HMIC")
    return Inspectorate(f"{majesty} Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS")
