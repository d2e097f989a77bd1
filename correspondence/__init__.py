"""correspondence: draft, log and track the formal letters of a policing body's office."""

__version__ = "0.1.0"
