"""Every kind of letter the tool drafts, drafted once into one folder for the layout and golden tests.

- s55-response: the bundled example (overall grade, graded questions in a table, the office's
  comments and answers, seven areas for improvement);
- s55-no-overall-grade: a PEEL inspection of Kent (areas in a sentence, one not graded, a cause
  of concern, recommendations answered by the office or the force);
- follow-up: the bundled meeting (three themes, both kinds of issue, four actions);
- follow-up-one-theme: one theme, one issue for correspondence, one action;
- follow-up-no-themes: no themes or issues, two actions, and one carried from the earlier meeting;
- annex: the updates table on its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KINDS = ["s55-response", "s55-no-overall-grade", "follow-up", "follow-up-one-theme", "follow-up-no-themes", "annex"]
SIGNATORIES = {
    "s55-response": ("Sophie Linden", "Deputy Mayor for Policing and Crime"),
    "s55-no-overall-grade": ("Matthew Scott", "Kent Police and Crime Commissioner"),
    "follow-up": ("Sophie Linden", "Deputy Mayor for Policing and Crime"),
    "follow-up-one-theme": ("Matthew Scott", "Kent Police and Crime Commissioner"),
    "follow-up-no-themes": ("Matthew Scott", "Kent Police and Crime Commissioner"),
}

ONE_THEME = """\
office: KENT
title: Performance and Accountability Board
held_on: 5 May 2026
themes: [Public confidence in how quickly the force answers emergency calls]
correspondence_issues:
  - How the force will keep callers informed while they wait for an officer.
actions:
  - action: Kent Police to share its plan for answering emergency calls within the national standard.
    timing: By the end of May 2026
    lead: Kent Police
"""

NO_THEMES = """\
office: KENT
title: Performance and Accountability Board
held_on: 2 June 2026
actions:
  - action: Kent Police to report the number of calls answered within ten seconds each week.
    timing: Weekly from June 2026
    lead: Kent Police
  - action: The OPCC to arrange a visit to the force control room.
    timing: July 2026
    lead: OPCC
"""


def draft_every_kind(db_url: str, folder: Path) -> dict[str, Path]:
    """Draft each kind of letter into ``folder``; returns each kind's .docx."""
    from correspondence.drafting import drafts as drafting
    from correspondence.examples.bundled import load_example
    from correspondence.organisation import offices, roles
    from correspondence.process.s55_letter import draft_response
    from correspondence.records.store import open_store
    from correspondence.records.transactions import in_one_transaction
    from correspondence.tracking import answers, inspections, updates
    from correspondence.tracking.inspection_file import load_inspection_file
    from correspondence.tracking.meeting_file import load_meeting_file
    from correspondence.tracking.meetings import add_meeting
    from correspondence.tracking.updates import find_area

    letters = folder / "letters"
    store = open_store(db_url)

    def request(office: str, day: dt.date) -> drafting.DraftRequest:
        return drafting.DraftRequest(office=office, letter_date=day, today=day, out_dir=letters)

    def work(session) -> dict[str, Path]:  # noqa: ANN001
        example = load_example(session, letters)
        drafted = {"s55-response": example.draft_file}
        drafted["follow-up"] = drafting.draft_followup(session, example.meeting.id, request("MOPAC", dt.date(2022, 5, 4))).path
        drafted["annex"] = drafting.draft_annex(session, example.inspection.id, request("MOPAC", dt.date(2018, 9, 3))).path  # after the force's updates and our answers

        kent_force = offices.add_force(session, "Kent Police")
        kent = offices.add_office(
            session, name="Office of the Kent Police and Crime Commissioner", short_name="KENT",
            address="Sessions House\nCounty Road\nMaidstone\nME14 1PB", signatory_name="Matthew Scott",
            signatory_title="Kent Police and Crime Commissioner", reference_scheme="KPCC/{seq}/{yy}", force=kent_force,
        )
        roles.add_holder(session, role="Chief Constable", name="Tim Smith", salutation="Dear Tim", office=kent,
                         starts_on=dt.date(2023, 6, 1), address="Police Headquarters\nSutton Road\nMaidstone\nME15 9BZ")
        peel = inspections.add_inspection(session, load_inspection_file(FIXTURES / "kent-peel-2025-27.yaml"))
        answered = dt.date(2026, 4, 1)
        answers.add_answer(session, find_area(session, f"{peel.id}:C1"), kent, answered_on=answered, today=answered,
                           text="I have asked the Chief Constable for a plan to meet the standard, and will scrutinise it at "
                                "my Performance and Accountability Board in May.")
        answers.add_answer(session, find_area(session, f"{peel.id}:R1"), kent, answered_on=answered, today=answered,
                           text="I will review the force's progress every month until it meets the national standard.")
        updates.add_update(session, find_area(session, f"{peel.id}:R2"), status=updates.UpdateStatus.IN_PROGRESS,
                           text="A new risk assessment for waiting callers is being trialled in the control room.",
                           received_on=answered, today=answered)
        drafted["s55-no-overall-grade"] = draft_response(session, peel.id, request("KENT", dt.date(2026, 4, 20))).path
        for kind, text, day in (("follow-up-one-theme", ONE_THEME, dt.date(2026, 5, 12)),
                                ("follow-up-no-themes", NO_THEMES, dt.date(2026, 6, 9))):
            path = folder / f"{kind}.yaml"
            path.write_text(text, encoding="utf-8")
            meeting = add_meeting(session, load_meeting_file(path))
            drafted[kind] = drafting.draft_followup(session, meeting.id, request("KENT", day)).path
        return drafted

    try:
        return in_one_transaction(store, work)
    finally:
        store.dispose()
