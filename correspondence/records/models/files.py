"""Every file the tool writes or is given, kept in the store as immutable versions.

``FileContent`` holds bytes once per SHA-256 (two versions with the same bytes share them);
``FileVersion`` says what the bytes are: whose file (a letter, an imported report, a published
response), which version, its name and media type, who added it, when and why. Both are written in
the record's own transaction, so a file can never be missing from, or differ from, its record, and
a backup of the database is a backup of every file. Triggers refuse any change to either once
written (migration 0012): a version is never edited, only followed by another.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import Base, utc_now, vocabulary
from correspondence.records.vocabulary import FilePurpose

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.inspections import Inspection
    from correspondence.records.models.letters import Letter
    from correspondence.records.models.offices import Office
    from correspondence.records.models.s55 import S55Response


class FileContent(Base):
    """The bytes of a file, once per SHA-256. Loaded only when asked for (``content`` is deferred),
    so listing 100,000 letters' versions never reads their bytes."""

    __tablename__ = "file_contents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class FileVersion(Base):
    """One version of one file: a letter's (drafted, uploaded, received), an enclosure, an
    attachment, an imported report's source document, a published response or index, or a preview.

    ``number`` counts a letter's own versions (1, 2, 3...; its current version is the highest);
    other files are numbered within their purpose and owner the same way.
    """

    __tablename__ = "file_versions"
    __table_args__ = (
        UniqueConstraint("owner_key", "purpose", "number", name="uq_file_versions_owner_purpose_number"),
        Index("ix_file_versions_letter", "letter_id", "purpose", "number"),
        Index("ix_file_versions_inspection", "inspection_id"),
        Index("ix_file_versions_response", "response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("s55_responses.id", ondelete="CASCADE"))
    # What the number counts within: "letter:12", "inspection:3", "response:4", "office:1". One
    # column, so one unique constraint keeps two versions from ever sharing a number.
    owner_key: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[FilePurpose] = mapped_column(vocabulary(FilePurpose))
    number: Mapped[int] = mapped_column(Integer)
    content_id: Mapped[int] = mapped_column(ForeignKey("file_contents.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    why: Mapped[str] = mapped_column(String(1000), default="")
    # For a preview: the version it shows. For an attachment: the letter version it came with.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("file_versions.id", ondelete="CASCADE"), index=True)
    # Where the office's mirror folder has a copy (written when the version was added), if it does.
    mirror_path: Mapped[str | None] = mapped_column(String(1000))

    content: Mapped[FileContent] = relationship()
    office: Mapped[Office | None] = relationship()
    letter: Mapped[Letter | None] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    response: Mapped[S55Response | None] = relationship()

    @property
    def suffix(self) -> str:
        """The file's extension, lower case with its dot ('.docx'), or '' for none."""
        name = self.file_name.rsplit("/", 1)[-1]
        return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
