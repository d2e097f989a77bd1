"""A letter's date that looks like a slip, on the forms that draft letters: the library's refusal
(register/date_checks.py) put beside the form's date field, linked from the form's error summary,
with a "Yes, this date is right" box shown from then on; ticked, the next post drafts the letter."""

from __future__ import annotations

from typing import Any

from correspondence.records.errors import CorrespondenceError
from correspondence.register.date_checks import DateToConfirm
from correspondence.web.wording import said


def confirmed(form: Any) -> bool:
    """Whether the person drafting ticked "Yes, this date is right"."""
    return bool(getattr(form, "confirm_date", None) is not None and form.confirm_date.data)


def offer_confirmation(form: Any, error: CorrespondenceError) -> bool:
    """If ``error`` is a date to confirm, show the form's box to confirm it from now on (the refusal
    itself is put beside the date field by whoever words it); True if so."""
    if not isinstance(error, DateToConfirm) or getattr(form, "confirm_date", None) is None:
        return False
    form.date_to_confirm = True
    return True


def asked_to_confirm(form: Any, error: CorrespondenceError) -> bool:
    """If ``error`` is a date to confirm, put it on the form's date field (the error summary links to
    it) and show the box to confirm it; True if so, and the view shows the form again."""
    if getattr(form, "letter_date", None) is None or not offer_confirmation(form, error):
        return False
    form.letter_date.errors = [*form.letter_date.errors, said(DateToConfirm(error.refusal, steps=error.steps))]
    return True
