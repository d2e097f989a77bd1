"""The statutory deadline for a policing body's comments on an HMICFRS report.

Section 55(5A) of the Police Act 1996 requires the comments to be published "before the end of
the period of 56 days beginning with the day on which the report is published". The day of
publication is day 1 of the 56, so the last day is publication + 55 days: a report published on
17 July 2018 must be answered by 10 September 2018. This module is the only place that rule lives.
"""

from __future__ import annotations

import datetime as dt

RESPONSE_PERIOD_DAYS = 56


def response_due(published_on: dt.date) -> dt.date:
    """The last day on which the s.55 comments may be published."""
    return published_on + dt.timedelta(days=RESPONSE_PERIOD_DAYS - 1)
