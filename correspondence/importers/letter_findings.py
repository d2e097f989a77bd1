"""What the letter parser found in a letter, each field with the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from correspondence.importers.lines import Line, Source

FIELDS = ("reference", "date", "addressee_name", "addressee_role", "addressee_address", "salutation", "subject",
          "signatory_name", "signatory_title", "cc")


@dataclass
class LetterFindings:
    reference: str | None = None
    date: str | None = None  # ISO
    addressee_name: str | None = None
    addressee_role: str | None = None
    addressee_address: str | None = None
    salutation: str | None = None
    subject: str | None = None
    signatory_name: str | None = None
    signatory_title: str | None = None
    cc: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # field -> the line it came from

    @property
    def missing(self) -> list[str]:
        wanted = {
            "reference": self.reference, "date": self.date, "addressee": self.addressee_name or self.addressee_role,
            "subject": self.subject, "signatory": self.signatory_name or self.signatory_title, "cc": self.cc,
        }
        return [name for name, value in wanted.items() if not value]

    def found(self, name: str, value: str | list[str] | None, line: Line) -> None:
        """Set a field once, with where it came from; a field already found is kept."""
        if not value or getattr(self, name):
            return
        setattr(self, name, value)
        self.sources[name] = Source.of(line)
