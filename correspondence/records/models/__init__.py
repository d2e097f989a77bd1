"""The store's tables, as SQLAlchemy 2.0 typed declarative models, one module per part of the record.

The schema itself is owned by the Alembic migrations in db/; these classes must match them
(tests/test_store.py compares the two so they cannot drift apart). Every model is imported
here, so ``from correspondence.records.models import Letter`` finds it and the mappers see each other.
"""

from correspondence.records.models.base import DEFAULT_CHIEF_OFFICER_TITLE, Base
from correspondence.records.models.files import FileContent, FileVersion
from correspondence.records.models.inspections import (
    FindingOwner,
    ForceUpdate,
    ImprovementArea,
    Inspection,
    InspectionCorrection,
    Judgment,
    Measure,
    OfficeAnswer,
)
from correspondence.records.models.letters import (
    EXPRESSION_INDEXES,
    AnnexRequest,
    AnnexRequestRow,
    Event,
    IssuedReference,
    Letter,
    LetterClearance,
    ReferenceCounter,
)
from correspondence.records.models.meetings import Action, Meeting
from correspondence.records.models.offices import (
    Force,
    FormPost,
    LoginAttempt,
    MailSettings,
    Office,
    OfficeAddress,
    OfficeTemplate,
    RoleHolder,
    SetupLink,
    StandardLine,
    User,
)
from correspondence.records.models.s55 import ResponseCopy, ResponseOwner, S55Response
from correspondence.records.models.sessions import SessionEnd, StoreSetting, WebSession

__all__ = [
    "Action",
    "AnnexRequest",
    "AnnexRequestRow",
    "Base",
    "DEFAULT_CHIEF_OFFICER_TITLE",
    "EXPRESSION_INDEXES",
    "Event",
    "FileContent",
    "FileVersion",
    "FindingOwner",
    "Force",
    "FormPost",
    "ForceUpdate",
    "ImprovementArea",
    "Inspection",
    "InspectionCorrection",
    "IssuedReference",
    "Judgment",
    "Letter",
    "LetterClearance",
    "LoginAttempt",
    "MailSettings",
    "Measure",
    "Meeting",
    "Office",
    "OfficeAddress",
    "OfficeAnswer",
    "OfficeTemplate",
    "ReferenceCounter",
    "ResponseCopy",
    "ResponseOwner",
    "RoleHolder",
    "S55Response",
    "SessionEnd",
    "SetupLink",
    "StandardLine",
    "StoreSetting",
    "User",
    "WebSession",
]
