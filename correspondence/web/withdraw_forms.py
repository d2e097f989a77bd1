"""The form that withdraws a draft from its letter page (web/withdrawal.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from correspondence.register.withdrawal import MAX_WHY


class WithdrawForm(FlaskForm):
    why = TextAreaField("Why", validators=[
        DataRequired(message="Say why the draft is withdrawn: it is kept with the letter and shown on the timeline"),
        Length(max=MAX_WHY, message=f"Say it in at most {MAX_WHY:,} characters")])
