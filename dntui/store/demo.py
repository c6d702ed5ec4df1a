"""Demo data: fictional patients and visits, only ever written to the demo database.

Names are invented; any resemblance to real people is coincidental. The demo
practitioners' PIN is 1234 (shown on the README).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from dntui.clinic_files import load_fee_schedule
from dntui.domain import instructions, screening
from dntui.domain.assessment import Assessment, Duration, Outcome, PainPattern
from dntui.domain.coverage import Coverage
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
    # Maria Lindqvist's course of treatment: her neck pain falls visit by visit
    # (ASSESSMENTS below), so the patient view shows the trend.
    (0, 42, 0, "commercial", ["M79.12"], [("upper-trapezius", "B", 2)]),
    (0, 35, 0, "commercial", ["M79.12"], [("upper-trapezius", "B", 2)]),
    (0, 28, 0, "commercial", ["M79.12"], [("upper-trapezius", "L", 2)]),
    (0, 21, 0, "commercial", ["M79.12"], [("upper-trapezius", "L", 1)]),
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
LEFT_AS_DRAFT = frozenset({10})

_NECK = Assessment(
    chief_complaint="neck and shoulder pain, worse at the desk",
    region="head/neck",
    pattern=PainPattern.REFERRED,
    referred_to="left shoulder blade",
    duration=Duration.CHRONIC,
    psfs_activity="reach overhead shelf",
)
_BACK = Assessment(
    chief_complaint="low back pain into the right buttock",
    region="trunk/low back",
    pattern=PainPattern.REFERRED,
    referred_to="right buttock",
    duration=Duration.CHRONIC,
)
_CALF = Assessment(chief_complaint="calf tightness after running", region="leg/foot")
#: Assessment and outcome per visit (index into VISITS): pain before, after, PSFS.
ASSESSMENTS: dict[int, tuple[Assessment, int, int, int | None]] = {
    0: (_NECK, 8, 5, 2),
    1: (_NECK, 7, 4, 3),
    2: (_NECK, 6, 4, 4),
    3: (_NECK, 5, 3, 5),
    4: (_NECK, 4, 2, 6),
    5: (_BACK, 6, 4, None),
    6: (_CALF, 5, 2, None),
    9: (_NECK, 3, 2, None),  # today's draft: after needling not recorded yet
}
#: When Maria's neck pain started (her first visit is six weeks ago).
NECK_ONSET_DAYS = 150


def demo_authorization(today: date) -> Coverage:
    """Maria's insurer ("commercial") verified her cover and authorized six visits."""
    return Coverage(
        payer="commercial",
        verified_on=today - timedelta(days=45),
        verified_by="Front desk",
        reference_no="CALL-20931",
        authorization_no="PA-55821",
        visits_authorized=6,
        starts=today - timedelta(days=45),
        ends=today + timedelta(days=45),
        notes="Dry needling under the physical therapy benefit, with prior authorization.",
    )


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
    maria = patients[0]
    assert maria.id is not None
    store.record_coverage(maria.id, demo_authorization(today), actor=people[0])
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
        if index in ASSESSMENTS:
            base, before, after, psfs = ASSESSMENTS[index]
            onset = today - timedelta(days=NECK_ONSET_DAYS) if pi == 0 else None
            draft.assessment = replace(base, onset=onset, nprs_before=before, psfs_before=psfs)
            if days_ago:
                draft.outcome = Outcome(nprs_after=after, psfs_after=None)
        draft.instructions = instructions.render_text(draft)
        draft = store.save_draft(draft, actor=pr)
        if days_ago == 0 or index in LEFT_AS_DRAFT:
            continue  # today's visit stays a draft, to resume
        signer = PractitionerInfo(
            pr.id, pr.name, pr.credentials, pr.acupuncture_licensed, pr.acupuncture_degree
        )
        store.sign(sign_visit(draft, schedule, signer, clock), signer=pr)
    return True
