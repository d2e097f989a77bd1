"""Whom a finding is for: the force (most are), the office itself, or another body.

A force's report asks its chief officer to act. A national or thematic report also makes
recommendations to the Home Office, the College of Policing, the NPCC, police and crime
commissioners or other bodies; the force is not asked about those, and the s.55 letter answers
them in other words ("This recommendation is for the College of Policing; ...").

The rules live here once, for the importer, the inspection file, the CLI and the workspace:

- ``read_addressee``: whom a recommendation's own wording names as the one who should act. The
  body must be the subject of the sentence's "should" or "must" (after any "HMICFRS recommends
  that" and any timescale: "By 31 March 2024, the Home Office, working with the NPCC, should ...");
  when several are named, the first is the one it is for. Wording that names no body ("The force
  should ...", "Forces need to ...", a finding with no "should") reads as nothing: it is never
  guessed, and the finding stays for the force, the default for a force's report.
- ``parse_for``: what a person typed ("College of Policing", "other: Independent Office for
  Police Conduct", "other" with a name).
- ``set_finding_for``: change it on a stored finding.
- ``for_label``: the body as a sentence names it ("the College of Policing").
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from correspondence.records.errors import InvalidInput
from correspondence.records.models import ImprovementArea
from correspondence.records.vocabulary import FindingFor

NAME_LIMIT = 200  # improvement_areas.for_name

# The words a recommendation names each body with, as the subject of "should". Plurals of the
# force's chief officer ("chief constables should") are the force: each force is asked.
_FORCE = r"(?:the\s+)?(?:force|forces|all\s+forces|constabulary|chief\s+constables?|chief\s+officers?|all\s+chief\s+constables)"
_OFFICE = (r"(?:the\s+|all\s+|local\s+)*(?:police\s+and\s+crime\s+commissioners?|police,\s+fire\s+and\s+crime\s+commissioners?"
           r"|pccs?|policing\s+bodies|policing\s+body|local\s+policing\s+bodies|mayor's\s+office\s+for\s+policing\s+and\s+crime|mopac)")
_HOME_OFFICE = r"(?:the\s+)?home\s+office(?:\s+ministers?)?|(?:the\s+)?home\s+secretary"
_COLLEGE = r"(?:the\s+)?college\s+of\s+policing|(?:the\s+)?college(?=\s*(?:,|$|and\b))"
_NPCC = (r"(?:the\s+)?(?:national\s+police\s+chiefs[’']?\s+council|npcc)(?:\s*\(npcc\))?"
         r"(?:\s+(?:lead|leads|portfolio\s+lead)(?:\s+for\s+[^,]+?)?)?")
# Other national bodies a report may name, stored as "other" with their name. Only these: an
# unknown subject is not taken for a body.
OTHER_BODIES = (
    "Independent Office for Police Conduct",
    "Crown Prosecution Service",
    "Ministry of Justice",
    "Association of Police and Crime Commissioners",
    "National Crime Agency",
    "HM Prison and Probation Service",
    "Department for Education",
    "Department of Health and Social Care",
)
_OTHER_SHORT = {"iopc": "Independent Office for Police Conduct", "cps": "Crown Prosecution Service",
                "apcc": "Association of Police and Crime Commissioners", "nca": "National Crime Agency"}

_BODIES: tuple[tuple[FindingFor, str], ...] = (
    (FindingFor.FORCE, _FORCE),
    (FindingFor.OFFICE, _OFFICE),
    (FindingFor.HOME_OFFICE, _HOME_OFFICE),
    (FindingFor.COLLEGE_OF_POLICING, _COLLEGE),
    (FindingFor.NPCC, _NPCC),
    *((FindingFor.OTHER, r"(?:the\s+)?" + r"\s+".join(map(re.escape, name.split())) + r"(?:\s*\([A-Z]+\))?") for name in OTHER_BODIES),
    (FindingFor.OTHER, r"(?:the\s+)?(?:" + "|".join(_OTHER_SHORT) + r")\b"),
)

# What may come before the subject: "HMICFRS recommends that", "We recommend that", a timescale.
_LEAD = re.compile(
    r"^(?:(?:HMICFRS|HMIC|HM\s+Inspectorate[^,]*?|we|the\s+inspectorate)\s+recommends?\s+that\s*,?\s*)?"
    r"(?:(?:by\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}|by\s+the\s+end\s+of\s+[A-Z]?[a-z]+\s+\d{4}|within\s+(?:the\s+next\s+)?\S+\s+(?:months?|weeks?|days?)"
    r"|immediately)\s*,?\s*)?",
    re.IGNORECASE,
)
_VERB = re.compile(r"\b(?:should|must)\b", re.IGNORECASE)


def read_addressee(text: str) -> tuple[FindingFor, str | None] | None:
    """Whom the wording of a finding says should act: (whom, name for "other"), or None when the
    wording names no body before its "should" (the finding then stays for the force)."""
    text = " ".join((text or "").split())
    verb = _VERB.search(text)
    if verb is None:
        return None
    subject = _LEAD.sub("", text[: verb.start()], count=1).strip(" ,")
    if not subject or len(subject) > 300:
        return None
    for whom, pattern in _BODIES:
        match = re.match(rf"(?:{pattern})(?=\s|,|$)", subject, re.IGNORECASE)
        if match is None:
            continue
        if whom is FindingFor.OTHER:
            return whom, _other_name(match.group(0))
        return whom, None
    return None


def _other_name(said: str) -> str:
    words = re.sub(r"^the\s+|\s*\([A-Z]+\)$", "", " ".join(said.split()), flags=re.IGNORECASE)
    short = _OTHER_SHORT.get(words.casefold())
    if short:
        return short
    return next((name for name in OTHER_BODIES if name.casefold() == words.casefold()), words)


def parse_for(value: object, name: str | None = None, *, field: str = "for") -> tuple[FindingFor, str | None]:
    """What a person wrote: a body ("College of Policing", "NPCC", "force", "office"), "other" with
    ``name``, or "other: Name". A name goes with "other" only; "other" needs one."""
    text = " ".join(str(value if value is not None else "").split())
    name = " ".join((name or "").split()) or None
    head, colon, tail = text.partition(":")
    if colon and head.strip().casefold() == "other":
        if name and name != tail.strip():
            raise InvalidInput(f"two names given for the body: {tail.strip()!r} and {name!r}", field="for_name")
        text, name = "other", tail.strip() or name
    if not text:
        raise InvalidInput("say whom the finding is for", field=field)
    whom = FindingFor.parse(text, field=field)
    if whom is FindingFor.OTHER:
        if not name:
            raise InvalidInput("name the body the finding is for", field="for_name")
        if len(name) > NAME_LIMIT:
            raise InvalidInput(f"the body's name is {len(name)} characters; at most {NAME_LIMIT}", field="for_name")
        return whom, name
    if name:
        raise InvalidInput(f"a name is given only for another body (\"other\"), not for {whom.value}", field="for_name")
    return whom, None


def set_finding_for(session: Session, area: ImprovementArea, value: object, name: str | None = None) -> bool:
    """Say whom ``area`` is for; returns whether it changed (the change is in the event log)."""
    whom, name = parse_for(value, name)
    if (area.for_whom, area.for_name) == (whom, name):
        return False
    area.for_whom, area.for_name = whom, name
    session.flush()
    return True


def is_for_force(area: ImprovementArea) -> bool:
    """Whether the force is asked about ``area`` (a finding stored before whom it is for was kept is)."""
    return area.for_whom in (None, FindingFor.FORCE)


_LABELS = {FindingFor.HOME_OFFICE: "the Home Office", FindingFor.COLLEGE_OF_POLICING: "the College of Policing",
           FindingFor.NPCC: "the National Police Chiefs' Council"}


def for_label(whom: FindingFor | None, name: str | None = None, *, office: str = "the policing body",
              force: str = "the force") -> str:
    """The body as a sentence names it: "the College of Policing", "the Independent Office for
    Police Conduct"; the office and force by the names given (default "the policing body", "the force")."""
    if whom in (None, FindingFor.FORCE):
        return force
    if whom is FindingFor.OFFICE:
        return office
    if whom is FindingFor.OTHER:
        named = " ".join((name or "").split()) or "another body"
        takes_the = re.search(r"\b(?:Office|Service|Agency|Council|Ministry|Department|Association|College|Authority|Board|Commission)\b", named)
        return f"the {named}" if takes_the and not named.lower().startswith("the ") else named
    return _LABELS[whom]


def describe_for(whom: FindingFor | None, name: str | None = None) -> str:
    """As a list or a form shows it: "force", "Home Office", "other: Independent Office for Police Conduct"."""
    if whom is FindingFor.OTHER:
        return f"other: {name or ''}".rstrip(": ")
    return (whom or FindingFor.FORCE).value
