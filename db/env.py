"""Alembic environment: migrations run on the connection the store hands over.

correspondence.records.store.Store.migrate passes its own connection in config.attributes, so the
tool never needs an alembic.ini. For hand use (``alembic revision --autogenerate``) set
CORR_DATABASE_URL and run alembic with ``-c db/alembic.ini``.
"""

from alembic import context
from sqlalchemy import create_engine

from correspondence.records.models import Base
from correspondence.records.store import resolve_url
from correspondence.register.search import is_search_object

config = context.config
connection = config.attributes.get("connection")


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=lambda name, type_, parent: not is_search_object(name),
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    engine = create_engine(resolve_url(None))
    with engine.begin() as own_connection:
        run(own_connection)
