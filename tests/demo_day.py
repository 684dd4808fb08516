"""The day demo shops open on in tests: fixed, so a demo is the same shop on any real date and hour."""

from datetime import date

DEMO_TODAY = date(2026, 11, 25)
DEMO_TODAY_ARG = DEMO_TODAY.isoformat()  # for `jxc demo --today`
