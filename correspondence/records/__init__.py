"""The store and what it holds: the tables, opening the database, and the rules every record obeys (limits, vocabulary, dates, figures, errors)."""
