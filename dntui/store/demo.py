"""Demo data: fictional patients and visits, only ever written to the demo database.

Names are invented; any resemblance to real people is coincidental. The demo
practitioners' PIN is 1234 (shown on the README).
"""

from __future__ import annotations

from datetime import date, timedelta

from dntui.clinic_files import load_fee_schedule
from dntui.domain import instructions, screening
from dntui.domain.fees import FeeSchedule
from dntui.domain.record import Clock, sign_visit, utc_clock
from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    Twitch,
    VisitDraft,
)
from dntui.store.repo import Store

DEMO_PIN = "1234"

PRACTITIONERS = (
    ("Dana Reyes", "PT", False),
    ("Samuel Okafor", "DC", False),
)

PATIENTS = (
    ("Maria Lindqvist", date(1979, 3, 14)),
    ("Tomas Herrera", date(1964, 11, 2)),
    ("Aiko Tanaka", date(1991, 6, 30)),
    ("Grace Mbeki", date(1985, 1, 19)),
    ("Oliver Brandt", date(1958, 8, 8)),
    ("Priya Natarajan", date(1996, 12, 5)),
    ("Connor Walsh", date(1972, 4, 27)),
    ("Lucia Romano", date(1988, 9, 11)),
)

#: (patient index, days ago, practitioner index, payer, dx, muscles)
VISITS = (
    (
        0,
        14,
        0,
        "commercial",
        ["M79.12"],
        [("upper-trapezius", "B", 2), ("levator-scapulae", "L", 1)],
    ),
    (
        1,
        10,
        1,
        "self-pay",
        ["M54.50"],
        [("quadratus-lumborum", "R", 2), ("gluteus-medius", "R", 3)],
    ),
    (2, 7, 0, "commercial", ["M79.18"], [("gastrocnemius", "L", 2)]),
    (3, 3, 0, "medicare", ["M62.838"], [("infraspinatus", "L", 2), ("upper-trapezius", "L", 1)]),
    (4, 1, 1, "self-pay", ["M54.50"], [("lumbar-multifidus", "B", 2), ("piriformis", "L", 1)]),
    (
        0,
        0,
        0,
        "commercial",
        ["M79.12"],
        [("upper-trapezius", "L", 1), ("sternocleidomastoid", "L", 1)],
    ),
    # Left unsigned for four days: a late draft for the start screen and the dashboard.
    (5, 4, 1, "self-pay", ["M79.18"], [("piriformis", "R", 2)]),
)
#: Visits (indexes into VISITS) that stay drafts besides today's.
LEFT_AS_DRAFT = frozenset({6})


def seed_demo(
    store: Store,
    *,
    today: date,
    schedule: FeeSchedule | None = None,
    clock: Clock = utc_clock,
) -> bool:
    """Fill an empty demo database. Returns False when it already has data.

    Visits are signed through ``sign_visit``, the same function the review step uses.
    """
    if store.practitioners():
        return False
    people = [
        store.add_practitioner(
            name, cred, acupuncture_licensed=acu, pin=DEMO_PIN, min_pin_length=len(DEMO_PIN)
        )
        for name, cred, acu in PRACTITIONERS
    ]
    patients = [store.add_patient(n, dob, actor=people[0]) for n, dob in PATIENTS]
    schedule = schedule or load_fee_schedule(None)
    for index, (pi, days_ago, who, payer, dx, chosen) in enumerate(VISITS):
        pr, pa = people[who], patients[pi]
        draft = VisitDraft(
            visit_date=today - timedelta(days=days_ago),
            practitioner=PractitionerInfo(
                pr.id, pr.name, pr.credentials, pr.acupuncture_licensed, pr.acupuncture_degree
            ),
            patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
            payer=payer,
            diagnosis_codes=list(dx),
            abn_on_file=payer == "medicare",
            screening={i.id: ScreeningAnswer(Answer.NO) for i in screening.ITEMS},
            consent=Consent(
                True, "written", "dntui-default-1", f"{today - timedelta(days=days_ago)}T09:00:00Z"
            ),
            muscles=[
                MuscleEntry(mid, Side(side), n, n, twitch=Twitch.YES) for mid, side, n in chosen
            ],
        )
        draft.instructions = instructions.render_text(draft)
        draft = store.save_draft(draft, actor=pr)
        if days_ago == 0 or index in LEFT_AS_DRAFT:
            continue  # today's visit stays a draft, to resume
        signer = PractitionerInfo(
            pr.id, pr.name, pr.credentials, pr.acupuncture_licensed, pr.acupuncture_degree
        )
        store.sign(sign_visit(draft, schedule, signer, clock), signer=pr)
    return True
