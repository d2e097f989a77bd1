"""hostile input (issue 8): close the ways ordinary SQL got round the protected tables

A sent letter, the ledger of issued references and the event log were protected by UPDATE and
DELETE triggers, but:
- on SQLite, INSERT OR REPLACE (and UPDATE OR REPLACE) deletes the row it collides with without
  firing DELETE triggers (unless recursive_triggers is on, which a plain sqlite3 shell never
  sets), so one statement rewrote a sent letter, an event, or a ledger row, freeing a sent
  reference for reuse. BEFORE INSERT triggers now refuse a row that would replace a protected
  one, and a letter's id can no longer be changed;
- on PostgreSQL, TRUNCATE fires no row triggers, so it emptied the ledger and the event log.
  Statement triggers now refuse TRUNCATE of the ledger, the event log, and letters while any
  letter is sent.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "letters_sent_no_replace": (
        "BEFORE INSERT ON letters WHEN EXISTS (SELECT 1 FROM letters WHERE id = NEW.id AND status = 'sent') "
        "BEGIN SELECT RAISE(ABORT, 'a sent letter cannot be changed; supersede it instead'); END"
    ),
    "letters_id_unchangeable": (
        "BEFORE UPDATE OF id ON letters WHEN NEW.id IS NOT OLD.id "
        "BEGIN SELECT RAISE(ABORT, 'a letter''s id cannot be changed'); END"
    ),
    "issued_references_no_replace": (
        "BEFORE INSERT ON issued_references WHEN EXISTS (SELECT 1 FROM issued_references "
        "WHERE id = NEW.id OR (office_id = NEW.office_id AND reference_key = NEW.reference_key)) "
        "BEGIN SELECT RAISE(ABORT, 'issued_references is append-only: a reference once used is never freed'); END"
    ),
    "events_no_replace": (
        "BEFORE INSERT ON events WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'events is append-only'); END"
    ),
}

PG_TRUNCATE_TRIGGERS = {
    "issued_references": "corr_refuse_change()",  # from 0001: "% is append-only"
    "events": "corr_refuse_change()",
    "letters": "corr_refuse_truncate_sent()",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION corr_refuse_truncate_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF EXISTS (SELECT 1 FROM letters WHERE status = 'sent') THEN "
            "RAISE EXCEPTION 'letters holds sent letters, which cannot be removed'; END IF; RETURN NULL; END $$"
        )
        for table, function in PG_TRUNCATE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}")
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PG_TRUNCATE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS corr_refuse_truncate_sent()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
