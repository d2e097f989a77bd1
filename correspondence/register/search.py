"""Full-text search of the register: references, subjects and the text of the letter files.

SQLite uses an FTS5 index kept in step with the letters table by triggers; PostgreSQL keeps each
letter's tsvector in a stored generated column with a GIN index on it. Both stem English words, so
"recording" finds "recorded". The definitions live here once, and the migrations create them from
these constants (0003 first made an expression index; 0009 stores the vector, so that a word found
in most letters no longer makes PostgreSQL compute every letter's vector again, see Performance in the developer guide).
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, literal_column, select, table, text

PG_DOCUMENT = (
    "to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(subject, '') || ' ' || coalesce(body_text, ''))"
)
PG_INDEX = f"CREATE INDEX ix_letters_search ON letters USING gin ({PG_DOCUMENT})"  # migration 0003's
PG_VECTOR = "search_vector"  # the stored tsvector column (migration 0009); not in the models, never written
PG_STORED = [
    "DROP INDEX IF EXISTS ix_letters_search",
    f"ALTER TABLE letters ADD COLUMN {PG_VECTOR} tsvector GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED",
    f"CREATE INDEX ix_letters_search ON letters USING gin ({PG_VECTOR})",
]

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
    return bool(name) and any(name.startswith(prefix) for prefix in SEARCH_OBJECTS) or name in ("ix_letters_search", PG_VECTOR)


def matches_words(dialect: str, words: str, id_column: ColumnElement) -> ColumnElement | None:
    """A condition true for letters whose reference, subject or file text has every word."""
    tokens = re.findall(r"\w+", words, flags=re.UNICODE)
    if not tokens:
        return None
    if dialect == "postgresql":
        # A subquery of its own, so the GIN index answers it even when the caller ORs it with
        # other conditions (inside an OR, PostgreSQL would compute the tsvector of every row).
        condition = text(f"{PG_VECTOR} @@ plainto_tsquery('english', :search_words)").bindparams(search_words=" ".join(tokens))
        return id_column.in_(select(literal_column("id")).select_from(table("letters")).where(condition))
    query = " ".join(f'"{token}"*' for token in tokens)
    fts = table("letters_fts")
    matching = select(literal_column("rowid")).select_from(fts).where(text("letters_fts MATCH :search_words").bindparams(search_words=query))
    return id_column.in_(matching)
