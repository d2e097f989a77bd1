"""The forms of the post (web/post.py): uploading a letter or e-mail, checking and completing what was
read from it, and answering a letter received on its page (owner and reply-by, answered, reply)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.orm import Session
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from correspondence.records.models import Letter
from correspondence.records.vocabulary import Direction
from correspondence.register.post import ANSWERED_HOW, how_answered, office_people
from correspondence.web.forms import DATE_HINT, UkDate, choice

HINT_WORKING_DAYS = 20  # a common standard for answering correspondence; offered as a hint, never filled in
DIRECTIONS = [choice("in", "A letter or e-mail the office received"), choice("out", "A letter the office sent outside the tool")]


class PostUploadForm(FlaskForm):
    letter = FileField("The letter or e-mail", validators=[FileRequired(message="Choose the file of the letter or e-mail")])
    direction = RadioField("What is it?", choices=DIRECTIONS, default="in",
                           validators=[DataRequired(message="Say whether the office received it or sent it")])


class PostForm(FlaskForm):
    """The preview's fields: each filled with what was read, or empty for the person logging it to fill."""

    token = HiddenField()
    direction = HiddenField()
    sender = StringField("From", validators=[Length(max=150)])
    sender_title = StringField("Their title or organisation", validators=[Length(max=45)])
    letter_date = StringField("Date of the letter", validators=[DataRequired(message="Enter the letter's date"), UkDate()])
    reference = StringField("Their reference", validators=[Length(max=100)])
    reference_choice = RadioField("Our reference", choices=[choice("keep", "Keep the reference the letter carries"),
                                                            choice("take", "Take the next reference from the office's scheme"),
                                                            choice("none", "It has no reference")], default="keep")
    addressee_name = StringField("Addressed to", validators=[Length(max=200)])
    addressee_role = StringField("Their role or title", validators=[Length(max=200)])
    subject = StringField("Subject", validators=[Length(max=500)])
    owner = SelectField("Who answers it", choices=[], validate_choice=False)
    reply_by = StringField("Reply by", validators=[Optional(), UkDate()])
    inspection = SelectField("The inspection it concerns", choices=[], validate_choice=False)


class AssignForm(FlaskForm):
    owner = SelectField("Who answers it", choices=[], validate_choice=False)
    reply_by = StringField("Reply by", validators=[Optional(), UkDate()])


class AnsweredForm(FlaskForm):
    how = RadioField("How was it answered?", choices=[choice(ANSWERED_HOW[0], "No reply is needed"),
                                                      choice(ANSWERED_HOW[1], "It was answered outside the tool")],
                     validators=[DataRequired(message="Say whether no reply is needed or it was answered outside the tool")])
    answered_on = StringField("Date", validators=[DataRequired(message="Enter the date it was answered"), UkDate()])
    note = TextAreaField("Note (optional)", validators=[Length(max=1000)])


class ReplyForm(FlaskForm):
    letter_date = StringField("Date of the reply", validators=[Optional(), UkDate()])


def people_choices(db: Session, office: Any) -> list[Any]:
    return [choice("", "Nobody yet")] + [choice(str(user.id), user.display_name) for user in office_people(db, office)]


def working_days_after(day: dt.date, count: int = HINT_WORKING_DAYS) -> dt.date:
    """``count`` weekdays after ``day`` (bank holidays not counted out): for a hint only."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def post_panel(db: Session, letter: Letter, forms: dict[str, Any]) -> dict[str, Any]:
    """What the letter page shows of the post: for a letter received, its owner and reply-by with the
    forms to change them, mark it answered and draft a reply; for a reply, the letter it answers."""
    if letter.direction is not Direction.IN:
        return {"received": False, "answers": letter.in_reply_to}
    people = people_choices(db, letter.office)
    assign_form = forms.get("assign_form") or AssignForm(prefix="assign", owner=str(letter.owner_id or ""),
                                                         reply_by=f"{letter.reply_by:%d/%m/%Y}" if letter.reply_by else "")
    assign_form.owner.choices = people
    how, note, who = how_answered(db, letter)
    replies = db.query(Letter).filter(Letter.in_reply_to_id == letter.id).order_by(Letter.id).all()
    return {
        "received": True, "assign_form": assign_form, "how": how, "note": note, "who": who, "replies": replies,
        "answered_form": forms.get("answered_form") or AnsweredForm(prefix="answered"),
        "reply_form": forms.get("reply_form") or ReplyForm(prefix="reply"),
        "hint": f"{HINT_WORKING_DAYS} working days after the letter's date is {working_days_after(letter.letter_date):%-d %B %Y}. "
                f"{DATE_HINT}",
    }
