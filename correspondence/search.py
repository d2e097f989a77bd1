"""Full-text search of the register: references, subjects and the text of the letter files.

SQLite uses an FTS5 index kept in step with the letters table by triggers; PostgreSQL uses a GIN
index on a tsvector expression. Both stem English words, so "recording" finds "recorded". The
definitions live here once: migration 0003 creates them from these constants, and the query
below must use the very same PostgreSQL expression for the index to serve it.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, literal_column, select, table, text

PG_DOCUMENT = (
    "to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(subject, '') || ' ' || coalesce(body_text, ''))"
)
PG_INDEX = f"CREATE INDEX ix_letters_search ON letters USING gin ({PG_DOCUMENT})"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE letters_fts USING fts5(reference, subject, body_text, content='letters', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER letters_fts_insert AFTER INSERT ON letters BEGIN "
    "INSERT INTO letters_fts(rowid, reference, subject, body_text) VALUES (new.id, new.reference, new.subject, new.body_text); END",
    "CREATE TRIGGER letters_fts_delete AFTER DELETE ON letters BEGIN "
    "INSERT INTO letters_fts(letters_fts, rowid, reference, subject, body_text) "
    "VALUES ('delete', old.id, old.reference, old.subject, old.body_text); END",
    "CREATE TRIGGER letters_fts_update AFTER UPDATE ON letters BEGIN "
    "INSERT INTO letters_fts(letters_fts, rowid, reference, subject, body_text) "
    "VALUES ('delete', old.id, old.reference, old.subject, old.body_text); "
    "INSERT INTO letters_fts(rowid, reference, subject, body_text) VALUES (new.id, new.reference, new.subject, new.body_text); END",
    "INSERT INTO letters_fts(letters_fts) VALUES ('rebuild')",
]
SEARCH_OBJECTS = ("letters_fts",)  # tables the models do not describe (FTS5 and its shadow tables)


def is_search_object(name: str | None) -> bool:
    return bool(name) and any(name.startswith(prefix) for prefix in SEARCH_OBJECTS) or name == "ix_letters_search"


def matches_words(dialect: str, words: str, id_column: ColumnElement) -> ColumnElement | None:
    """A condition true for letters whose reference, subject or file text has every word."""
    tokens = re.findall(r"\w+", words, flags=re.UNICODE)
    if not tokens:
        return None
    if dialect == "postgresql":
        # A subquery of its own, so the GIN index answers it even when the caller ORs it with
        # other conditions (inside an OR, PostgreSQL would compute the tsvector of every row).
        condition = text(f"{PG_DOCUMENT} @@ plainto_tsquery('english', :search_words)").bindparams(search_words=" ".join(tokens))
        return id_column.in_(select(literal_column("id")).select_from(table("letters")).where(condition))
    query = " ".join(f'"{token}"*' for token in tokens)
    fts = table("letters_fts")
    matching = select(literal_column("rowid")).select_from(fts).where(text("letters_fts MATCH :search_words").bindparams(search_words=query))
    return id_column.in_(matching)
