"""The fixed words the store uses: grades, kinds, directions and statuses.

Each is an enum whose value is the plain English a letter prints, so the database, the YAML
format and the CLI all read the same words. ``parse`` accepts any case, spacing, hyphens or
underscores, because reports and people write "Requires Improvement", "requires-improvement"
and "REQUIRES IMPROVEMENT" for the same grade.
"""

from __future__ import annotations

import enum
import re
from typing import TypeVar

from correspondence.records.errors import InvalidInput

E = TypeVar("E", bound="Vocabulary")


class Vocabulary(str, enum.Enum):
    @classmethod
    def parse(cls: type[E], text: object, field: str | None = None) -> E:
        """The member whose value matches ``text`` loosely, or an error listing the choices."""
        key = _normalise(str(text))
        for member in cls:
            if key in (_normalise(member.value), _normalise(member.name)):
                return member
        for alias, value in cls._aliases().items():
            if key == _normalise(alias):
                return cls(value)
        choices = ", ".join(member.value for member in cls)
        raise InvalidInput(f"unknown {cls._noun()} {str(text)!r}; expected one of: {choices}", field=field, value=text)

    @classmethod
    def choices(cls) -> list[str]:
        return [member.value for member in cls]

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def _noun(cls) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()

    def __str__(self) -> str:
        return self.value


def _normalise(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.replace("\u00a0", " ")).strip().casefold()


class Grade(Vocabulary):
    """HMICFRS's graded judgments, from the best down (PEEL since 2021 adds 'adequate')."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires improvement"
    INADEQUATE = "inadequate"


class AreaKind(Vocabulary):
    """What HMICFRS asks of a force, in descending force of obligation.

    s.55(5B) obliges the policing body to answer every recommendation.
    """

    CAUSE_OF_CONCERN = "cause of concern"
    RECOMMENDATION = "recommendation"
    AREA_FOR_IMPROVEMENT = "area for improvement"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "causes of concern": "cause of concern",
            "recommendations": "recommendation",
            "areas for improvement": "area for improvement",
            "afi": "area for improvement",
        }


class FindingFor(Vocabulary):
    """Whom a finding asks to act. Most ask the force's chief officer; a national or thematic report
    also asks the policing body itself or a national body (the Home Office, the College of Policing,
    the NPCC), and the letter answers those in other words than the force's."""

    FORCE = "force"
    OFFICE = "office"
    HOME_OFFICE = "Home Office"
    COLLEGE_OF_POLICING = "College of Policing"
    NPCC = "NPCC"
    OTHER = "other"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"chief constable": "force", "chief constables": "force", "chief officer": "force",
                "policing body": "office", "pcc": "office", "commissioner": "office",
                "college": "College of Policing", "national police chiefs' council": "NPCC",
                "national police chiefs council": "NPCC"}


class Direction(Vocabulary):
    OUT = "out"
    IN = "in"


class LetterStatus(Vocabulary):
    DRAFT = "draft"
    SENT = "sent"
    RECEIVED = "received"
    WITHDRAWN = "withdrawn"  # a draft taken back before it was sent; kept, its reference spent


class LetterKind(Vocabulary):
    """What a letter is for; drives which template drafts it and what is due."""

    S55_RESPONSE = "s55 response"
    FOLLOW_UP = "follow-up"
    REPLY = "reply"
    ANNEX = "annex"
    OTHER = "other"
    INVITATION = "invitation to comment"  # s.55(4): the chief officer is invited to comment on the report
    REMINDER = "reminder"
    COMMENTS = "chief officer's comments"  # the chief officer's reply to the invitation

    @property
    def label(self) -> str:
        """As a person reads it on a page: "s.55 response", as the Act is cited (the value, typed
        on the command line, has no full stop)."""
        return "s.55 response" if self is LetterKind.S55_RESPONSE else self.value

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"section 55 response": "s55 response", "s.55 response": "s55 response", "followup": "follow-up",
                "invitation": "invitation to comment", "invite": "invitation to comment", "chase": "reminder",
                "comments": "chief officer's comments"}


class ActionStatus(Vocabulary):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class UpdateStatus(Vocabulary):
    """Where the force says it is with an area; what the annex's Status column prints."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"completed": "complete", "done": "complete", "ongoing": "in progress", "open": "in progress"}


class UserRole(Vocabulary):
    """What a user of an office may do, each role including the ones before it.

    A viewer reads; a drafter also drafts and submits; an approver also approves; an admin also
    manages users, offices, role holders and templates.
    """

    VIEWER = "viewer"
    DRAFTER = "drafter"
    APPROVER = "approver"
    ADMIN = "admin"

    def includes(self, other: UserRole) -> bool:
        """True when this role may do everything ``other`` may."""
        order = list(UserRole)
        return order.index(self) >= order.index(other)


class ResponseStage(Vocabulary):
    """How far an office's section 55 response to an inspection has gone, in the order of the Act.

    s.55(4) invite the chief officer's comments; s.55(5) publish the body's comments, the chief
    officer's comments and the body's response to them; s.55(6) send copies to HMICFRS and the
    Home Secretary. Clearance (submitted, approved) is the office's own step before sending.
    """

    INVITATION_DRAFTED = "invitation drafted"
    INVITED = "invited"
    CHASED = "chased"
    COMMENTS_RECEIVED = "comments received"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    SENT = "sent"
    PUBLISHED = "published"


class ClearanceStep(Vocabulary):
    """A step in clearing a draft letter: put up for approval, approved (as one exact file), or
    returned to the drafter with comments."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class FilePurpose(Vocabulary):
    """What a stored file is (records/models/files.py)."""

    LETTER = "letter"  # a letter's own file: drafted, uploaded in a new version, logged or received
    ENCLOSURE = "enclosure"  # sent with one of our letters
    ATTACHMENT = "attachment"  # came with a letter received (the chief officer's reply's annexes)
    SOURCE = "source"  # the document an inspection was imported from
    PUBLICATION = "publication"  # the published response: its web page and its PDF
    INDEX = "index"  # the office's index of reports and responses, as last published
    PREVIEW = "preview"  # a PDF of a version, made to read it in the browser (a cache: made again if lost)
