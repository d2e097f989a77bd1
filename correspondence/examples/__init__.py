"""The bundled example (a real inspection, response and meeting), stored so a new user sees the whole product work, and the sample data templates are checked against."""
