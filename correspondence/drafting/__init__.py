"""Drafting letters: the data each template is filled from, the phrasing rules, filling Word templates safely, the office's own paragraphs and templates, the annex round trip."""
