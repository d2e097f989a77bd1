"""People and roles as letters write them: "Rt Hon Yvette Cooper MP", "Sir Mark Rowley",
"Commissioner of the Police of the Metropolis", "Chair of the ... Police Authority Board".

A person is honorifics, two to four capitalised names and post-nominals; a line with an office,
street or force word in it ("Information Rights Unit", "Lloyd House", "West Midlands") is not a
person unless an honorific says so ("Sir Steve House"). A role is a short line built around a
role word (Secretary, Minister, Commissioner, Chair, Manager, Editor...), so roles nobody listed
still read as roles, while headings that merely mention one ("Letter from DMPC to Commissioner")
do not.
"""

from __future__ import annotations

import difflib
import functools
import re

from correspondence.importers.forces import canonical_force

HONORIFIC = (r"(?:(?:The\s+)?(?:Rt\.?|Right)\s+Hon(?:\.|ourable)?|Sir|Dame|Lord|Lady|Baroness|Baron|Dr\.?|Mr\.?|Mrs\.?"
             r"|Ms\.?|Miss|Cllr\.?|Councillor|Professor|Prof\.?|Rev(?:erend|\.)?)")
POST_NOMINAL = r"(?:MP|KC|QC|CBE|OBE|MBE|KBE|DBE|CB|CVO|LVO|QPM|KPM|DL|JP|PhD|MSP|MS|AM|FRSA)"
_NAME_WORD = r"(?:(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:['’\-][A-Z]?[a-z]+)*|[A-Z]\.?)"
_PERSON = re.compile(
    rf"^(?P<honorific>(?:{HONORIFIC}\s+)*)(?P<names>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})(?P<post>(?:,?\s+{POST_NOMINAL})*)$"
)
_LEADING_PERSON = re.compile(
    rf"^(?P<person>(?:{HONORIFIC}\s+)+{_NAME_WORD}(?:\s+{_NAME_WORD})?(?:\s+{POST_NOMINAL}\b)*)(?P<rest>.*)$"
)
_ANY_HONOURED_PERSON = re.compile(rf"\b((?:{HONORIFIC}\s+)+{_NAME_WORD}(?:\s+{_NAME_WORD})?(?:\s+{POST_NOMINAL}\b)*)")

# A title, which starts a name and never sits inside one.
_TITLE_WORD = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Cllr|Councillor|Rt|Hon|Professor|Prof)\.?")

# Words that make a run of capitalised words an office, a place or a document rather than a person.
_NOT_A_NAME = set("""
police constabulary service services office unit department directorate council commission committee board authority
panel street road lane avenue square place yard house building centre center hall tower court way embankment circus
queensway park box report reports inspection inspectorate crime crimes policing home secretary minister commissioner
commissioners constable constables chief deputy acting mayor chair director manager officer inspector editor government
parliament association partnership team group trust limited ltd university college school hospital england wales
britain kingdom north south east west greater dear yours regards best wishes thank thanks response letter statement
comment reply open message public consultations consultation january february march april may june july august
september october november december monday tuesday wednesday thursday friday saturday sunday the of and for to
information rights legal governance review update annual assessment summary overall judgment skip content menu
fire rescue pcc opcc pfcc mopac hmic hmicfrs london metropolis force forces justice news
""".split())

ROLE_WORDS = (
    "secretary", "minister", "commissioners?", "constables?", "chief executive", "inspectors?", "chair(?:man|woman|person)?",
    "directors?", "members?", "mayor", "editor", "managers?", "officers?", "clerk", "leaders?", "head", "president",
    "chancellor", "mps?", "councillors?", "treasurer", "solicitor", "governors?", "adviser", "advisor", "superintendent",
    "registrar", "residents?", "londoners", "ceo", "pccs?", "pfccs?", "dmpc", "hmci", "hmcic", "hmcifrs", "coordinator",
    "controller",
)
_ROLE_WORD = re.compile(r"\b(?:" + "|".join(ROLE_WORDS) + r")\b", re.IGNORECASE)
_NOT_A_ROLE = re.compile(
    r"\b(?:from|to|by|about|regarding|response|letter|report|inspection|statement|consultation|published|says?|said|will|has|have|is|are|was|were)\b"
    r"|[.!?]$",
    re.IGNORECASE,
)

# Roles written the same way in flattened address lines ("Rt Hon Sajid Javid MP Home Secretary 2 Marsham Street").
KNOWN_ROLES = (
    "Home Secretary", "Secretary of State for the Home Department", "Minister of State for Policing", "Policing Minister",
    "Minister of State for Crime and Policing", "Acting Commissioner", "Deputy Commissioner", "Commissioner",
    "Acting Chief Constable", "Temporary Chief Constable", "Deputy Chief Constable", "Chief Constable",
    "HM Chief Inspector of Constabulary", "Chief Executive", "Police and Crime Commissioner", "Police & Crime Commissioner",
    "Police, Fire and Crime Commissioner", "Police, Fire & Crime Commissioner", "Deputy Mayor for Policing and Crime",
    "Mayor of London", "Prime Minister", "Chancellor of the Exchequer", "Assembly Member",
)
_GENERIC_GREETINGS = {"all", "sir", "madam", "sir or madam", "sir/madam", "sirs", "colleague", "colleagues", "friend",
                      "friends", "everyone", "all concerned", "team"}


@functools.lru_cache(maxsize=4096)
def is_person(text: str) -> bool:
    """Whether ``text`` is a person's name as letters write it, honorifics and post-nominals included."""
    text = text.strip().rstrip(",")
    match = _PERSON.match(text)
    if not match:
        return False
    names = match.group("names").split()
    if any(_TITLE_WORD.fullmatch(name) for name in names):
        return False  # a title inside the run of names: "Good Afternoon Mr Gee" is a greeting, not a name
    if match.group("honorific"):
        return not any(name.casefold() in ("police", "constabulary", "commissioner", "secretary") for name in names)
    if len(names) < 2 or canonical_force(match.group("names")):
        return False
    return not any(name.casefold().strip(".") in _NOT_A_NAME for name in names)


@functools.lru_cache(maxsize=4096)
def leading_person(text: str) -> tuple[str, str] | None:
    """A person at the start of a flattened line and what follows: honorific-led ("Rt Hon Sajid Javid MP
    Home Secretary ...") or a plain name running into a role ("John Campion Police & Crime Commissioner")."""
    match = _LEADING_PERSON.match(text)
    if match and is_person(match.group("person")):
        return match.group("person").strip(), match.group("rest").strip(" ,")
    tokens = text.split()
    for size in (3, 2):
        if len(tokens) > size:
            head, rest = " ".join(tokens[:size]), " ".join(tokens[size:])
            if is_person(head) and is_role(rest):
                return head, rest
    return None


def honoured_person_in(text: str) -> str | None:
    """A person named with an honorific anywhere in a line ("... Email x Rt Hon Mike Penning MP Via email")."""
    for match in _ANY_HONOURED_PERSON.finditer(text):
        if is_person(match.group(1)):
            return match.group(1).strip()
    return None


@functools.lru_cache(maxsize=4096)
def is_role(text: str) -> bool:
    """A role or title line: short, built around a role word, not a sentence or a heading about one."""
    text = text.strip().strip(",")
    if not text or len(text.split()) > 16 or ": " in text or re.search(r"\d", text) or _NOT_A_ROLE.search(text) or is_person(text):
        return False
    # An abbreviation in brackets names the body, not a role: "Metropolitan Police Service (MPS)" is no MP.
    return bool(_ROLE_WORD.search(re.sub(r"\([^)]*\)", "", text).replace("H.M.", "HM ")))


@functools.lru_cache(maxsize=4096)
def known_role_at_start(text: str) -> tuple[str, str] | None:
    """The longest known role that ``text`` starts with, and the rest."""
    for role in sorted(KNOWN_ROLES, key=len, reverse=True):
        if text.casefold().startswith(role.casefold()) and (len(text) == len(role) or not text[len(role)].isalnum()):
            return text[: len(role)], text[len(role):].strip(" ,")
    return None


def close_known_role(text: str) -> str | None:
    """'Home Scentary' (OCR for 'Home Secretary') names a known role when it is a close match."""
    close = difflib.get_close_matches(text.casefold(), [role.casefold() for role in KNOWN_ROLES], n=1, cutoff=0.8)
    if not close:
        return None
    return next(role for role in KNOWN_ROLES if role.casefold() == close[0])


def greeting_kind(greeting: str) -> tuple[str, str] | None:
    """What a salutation names: ("name", "Mr Druitt"), ("role", "Home Secretary"), or None for
    "Dear Sir" and "Dear all". Joint salutations ("Chancellor and Home Secretary",
    "Minister / H.M.Inspector") are one role or one name when every part is."""
    greeting = greeting.strip().rstrip(",.:;").strip()
    if not greeting or greeting.casefold() in _GENERIC_GREETINGS:
        return None
    parts = [part for part in re.split(r"\s+(?:and|&)\s+|\s*/\s*", greeting) if part]
    if len(parts) > 1:
        kinds = {_single_greeting(part) for part in parts}
        return (kinds.pop(), greeting) if len(kinds) == 1 and None not in kinds else None
    kind = _single_greeting(greeting)
    if kind is None:
        role = close_known_role(greeting)
        return ("role", role) if role else None
    return kind, greeting


def _single_greeting(part: str) -> str | None:
    if is_role(part) or known_role_at_start(part) == (part, ""):
        return "role"
    if is_person(part) or re.fullmatch(rf"(?:{HONORIFIC}\s+)+{_NAME_WORD}", part):
        return "name"
    if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?", part) and part.casefold() not in _NOT_A_NAME:
        return "name"  # a first name: "Dear Mark"
    return None
