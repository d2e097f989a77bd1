"""The police forces HMICFRS inspects, by every name a report gives them.

A report names its force in its title ("Lincolnshire Police: ...", "Dorset 2016", "police custody
suites in North Wales") or its first sentences ("... assessment of Durham Constabulary"). Matching
those names against this list is what makes the importer return a force name and never a piece of
a sentence. Names are the forces' own (the 43 territorial forces of England and Wales and the three
national ones); an area name alone ("Dorset") counts only where the caller says the text is a title.
"""

from __future__ import annotations

import functools
import re

# canonical name: other names, area names first (an area name alone is accepted in titles only)
FORCES: dict[str, tuple[str, ...]] = {
    "Avon and Somerset Constabulary": ("Avon and Somerset", "Avon & Somerset", "Avon and Somerset Police"),
    "Bedfordshire Police": ("Bedfordshire",),
    "Cambridgeshire Constabulary": ("Cambridgeshire", "Cambridgeshire Police"),
    "Cheshire Constabulary": ("Cheshire", "Cheshire Police"),
    "City of London Police": ("City of London",),
    "Cleveland Police": ("Cleveland",),
    "Cumbria Constabulary": ("Cumbria", "Cumbria Police"),
    "Derbyshire Constabulary": ("Derbyshire", "Derbyshire Police"),
    "Devon and Cornwall Police": ("Devon and Cornwall", "Devon & Cornwall", "Devon & Cornwall Police"),
    "Dorset Police": ("Dorset",),
    "Durham Constabulary": ("Durham", "Durham Police"),
    "Dyfed-Powys Police": ("Dyfed-Powys", "Dyfed Powys", "Dyfed Powys Police"),
    "Essex Police": ("Essex",),
    "Gloucestershire Constabulary": ("Gloucestershire", "Gloucestershire Police"),
    "Greater Manchester Police": ("Greater Manchester", "GMP"),
    "Gwent Police": ("Gwent",),
    "Hampshire and Isle of Wight Constabulary": ("Hampshire", "Hampshire Constabulary", "Hampshire and Isle of Wight"),
    "Hertfordshire Constabulary": ("Hertfordshire", "Hertfordshire Police"),
    "Humberside Police": ("Humberside",),
    "Kent Police": ("Kent",),
    "Lancashire Constabulary": ("Lancashire", "Lancashire Police"),
    "Leicestershire Police": ("Leicestershire",),
    "Lincolnshire Police": ("Lincolnshire",),
    "Merseyside Police": ("Merseyside",),
    "Metropolitan Police Service": ("Metropolitan", "Metropolitan Police", "the Met", "MPS"),
    "Norfolk Constabulary": ("Norfolk", "Norfolk Police"),
    "North Wales Police": ("North Wales",),
    "North Yorkshire Police": ("North Yorkshire",),
    "Northamptonshire Police": ("Northamptonshire",),
    "Northumbria Police": ("Northumbria",),
    "Nottinghamshire Police": ("Nottinghamshire",),
    "South Wales Police": ("South Wales",),
    "South Yorkshire Police": ("South Yorkshire",),
    "Staffordshire Police": ("Staffordshire",),
    "Suffolk Constabulary": ("Suffolk", "Suffolk Police"),
    "Surrey Police": ("Surrey",),
    "Sussex Police": ("Sussex",),
    "Thames Valley Police": ("Thames Valley",),
    "Warwickshire Police": ("Warwickshire",),
    "West Mercia Police": ("West Mercia",),
    "West Midlands Police": ("West Midlands",),
    "West Yorkshire Police": ("West Yorkshire",),
    "Wiltshire Police": ("Wiltshire",),
    "British Transport Police": ("BTP",),
    "Civil Nuclear Constabulary": ("CNC",),
    "Ministry of Defence Police": ("MDP",),
}

_EXACT_CASE = {"the Met", "MPS", "GMP", "BTP", "CNC", "MDP"}  # "the met office" and "mps" are not forces
_FORCE_WORDS = re.compile(r"\b(?:police|constabulary|police service)\b", re.IGNORECASE)


@functools.cache
def _names() -> list[tuple[str, str, bool]]:
    """(name, canonical, is a full force name), longest first so "North Wales" beats "Wales"."""
    names = []
    for canonical, others in FORCES.items():
        names.append((canonical, canonical, True))
        for other in others:
            full = bool(_FORCE_WORDS.search(other)) or other in ("the Met",)
            names.append((other, canonical, full))
    return sorted(names, key=lambda entry: len(entry[0]), reverse=True)


@functools.cache
def _lookup() -> dict[str, str]:
    return {_fold(name): canonical for name, canonical, _full in _names()}


def _fold(name: str) -> str:
    return re.sub(r"[\s\-]+", " ", name.replace("’", "'").replace("&", " and ")).strip().casefold()


@functools.cache
def _exact_case() -> frozenset[str]:
    return frozenset(_fold(name) for name in _EXACT_CASE)


def find_forces(text: str, *, areas: bool = True) -> list[str]:
    """The forces ``text`` names, canonical names in order of first mention, each once.

    With ``areas=False`` only full force names count ("Dorset Police", not "Dorset"), for running
    text where an area name is usually just a place. Names are looked up as runs of one to six
    words, longest first, so "North Wales" is found before "Wales" could be.
    """
    tokens = re.findall(r"[A-Za-z&]+(?:['’][A-Za-z]+)?", text.replace("-", " "))
    full = _full_names()
    found: list[str] = []
    index = 0
    while index < len(tokens):
        for size in range(min(6, len(tokens) - index), 0, -1):
            words = tokens[index : index + size]
            if words[-1].endswith(("'s", "’s")):
                words = words[:-1] + [words[-1][:-2]]  # "Metropolitan Police's performance"
            name = " ".join(words)
            canonical = _lookup().get(_fold(name))
            if canonical is None or (_fold(name) in _exact_case() and name not in _EXACT_CASE) or (
                    not areas and _fold(name) not in full):
                continue
            if canonical not in found:
                found.append(canonical)
            index += size - 1
            break
        index += 1
    return found


@functools.cache
def _full_names() -> frozenset[str]:
    return frozenset(_fold(name) for name, _canonical, full in _names() if full)


def canonical_force(name: str) -> str | None:
    """The force's own name for any of its names ("Metropolitan Police" -> "Metropolitan Police Service")."""
    return _lookup().get(_fold(name))
