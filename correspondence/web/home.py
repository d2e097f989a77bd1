"""The dashboard: what the office (or the user) has due, overdue and open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import login_required

from correspondence.process.dashboard import dashboard as build_dashboard
from correspondence.records.vocabulary import UserRole
from correspondence.web.security import office, permit, reading

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
@login_required
def dashboard() -> Any:
    mine = request.args.get("view") == "mine"
    with reading() as db:
        user = permit(db, UserRole.VIEWER)
        board = build_dashboard(db, office(db), user, dt.date.today(), mine=mine)
        return render_template("dashboard.html", board=board, today=dt.date.today())
