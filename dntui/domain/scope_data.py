"""Scope of practice for dry needling, by US state and profession: the data.

Every entry names the sources it was taken from (keys of :data:`SCOPE_SOURCES`) and
the date it was checked. Nothing here is inferred: a state or profession with no
source that was actually read has no entry, and ``dntui.domain.scope.lookup`` then
answers "unknown: check your state board". Where sources disagree, or a board is
silent, the status is ``unclear`` and the note says why.

This is not legal advice: boards change their rules. To update an entry, read the
board's current rule, edit the entry and its source (with the new ``checked`` date),
then regenerate docs/scope-of-practice.md (``python tools/gen_scope_doc.py``); the
test tests/domain/test_scope.py fails while the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

#: The day the sources below were read for dntui (issue #14).
CHECKED: Final = date(2026, 11, 27)


class Status(StrEnum):
    PERMITTED = "permitted"
    PROHIBITED = "prohibited"
    #: The sources disagree, or the board is silent on dry needling.
    UNCLEAR = "unclear"
    #: No sourced entry: check the state board.
    UNKNOWN = "unknown"


class Profession(StrEnum):
    PT = "PT"  # physical therapist (PT or DPT)
    PTA = "PTA"  # physical therapist assistant
    DC = "DC"  # chiropractor
    PHYSICIAN = "MD/DO"  # physician
    LAC = "LAc"  # licensed acupuncturist
    AT = "AT"  # athletic trainer
    NP = "NP"  # nurse practitioner
    PA = "PA"  # physician assistant


class SourceKind(StrEnum):
    PRIMARY = "primary"  # statute, board rule, board or legislature page
    COMPILATION = "compilation"  # a state-by-state summary
    SECONDARY = "secondary"  # an article or course provider quoting the rule


@dataclass(frozen=True)
class ScopeSource:
    key: str
    title: str
    publisher: str
    kind: SourceKind
    address: str
    #: The date the source gives for itself ("as of January 2026"), "" when it gives none.
    as_of: str = ""
    checked: date = CHECKED


@dataclass(frozen=True)
class ScopeEntry:
    state: str  # two-letter code
    profession: Profession
    status: Status
    #: What the sources say is required, in plain words ("" when they say nothing).
    training: str = ""
    #: Hours of dry-needling training needed before needling patients (None: not stated).
    min_hours: int | None = None
    #: Years of licensed practice needed first (None: not stated).
    min_years: int | None = None
    #: The board must be told (registration, endorsement, attestation, documents).
    registration: bool = False
    sources: tuple[str, ...] = ()
    note: str = ""
    checked: date = CHECKED


def _src(
    key: str, title: str, publisher: str, kind: SourceKind, address: str, as_of: str = ""
) -> ScopeSource:
    return ScopeSource(key, title, publisher, kind, address, as_of)


_P, _C, _S = SourceKind.PRIMARY, SourceKind.COMPILATION, SourceKind.SECONDARY

SCOPE_SOURCES: Final[dict[str, ScopeSource]] = {
    s.key: s
    for s in (
        _src(
            "sop-pphc",
            "Dry needling state practice acts, state by state (allowed / silent / not permitted, "
            "with training per state)",
            "PPHC (pphc.co)",
            _C,
            "pphc.co/resources; pphc.co/post/understanding-the-landscape-dry-needling-physical-"
            "therapy-practice-acts-in-the-u-s",
            "January 2026",
        ),
        _src(
            "sop-apta-list",
            "Dry needling within scope of physical therapy practice (APTA state list, as "
            "reproduced: 39 states and DC permit, 4 prohibit, 7 silent)",
            "APTA, reproduced by Master Dry Needling Seminars",
            _C,
            "masterdryneedling.com/scope-of-practice-for-pts/attachment/apta-6/",
        ),
        _src(
            "sop-myopain-2025",
            "A call to action: we need your help (states where dry needling is outside PT scope, "
            "and boards that are silent)",
            "Myopain Seminars (J. Dommerholt)",
            _C,
            "myopainseminars.com/resources/blog/we-need-your-help",
            "2025",
        ),
        _src(
            "sop-myopain-2026",
            "Legislative news, January 2026 (New Jersey approved course list; Pennsylvania HB-2070)",
            "Myopain Seminars",
            _S,
            "myopainseminars.com/resources/blog/legislative-new-january-2026",
            "January 2026",
        ),
        _src(
            "sop-myopain-md",
            "Legislative news, December 2025 (Maryland proposed amendments to COMAR 10.38.12)",
            "Myopain Seminars",
            _S,
            "myopainseminars.com/resources/blog/legislative-news-december-2025",
            "December 2025",
        ),
        _src(
            "sop-myopain-at",
            "Dry needling by athletic trainers",
            "Myopain Seminars",
            _S,
            "myopainseminars.com/resources/blog/the-use-of-dry-needling-for-athletic-trainers/",
            "after October 2023",
        ),
        _src(
            "sop-myopain-ut",
            "Is dry needling legal in Utah? (dry needling rulings)",
            "Myopain Seminars",
            _C,
            "myopainseminars.com/?p=21051",
        ),
        _src(
            "sop-co-rule11",
            "4 CCR 732-1 Rule 11, Requirements for physical therapists to perform dry needling "
            "(as quoted)",
            "Colorado PT board, quoted by Master Dry Needling Seminars",
            _S,
            "masterdryneedling.com/state-training-guidelines/",
        ),
        _src(
            "sop-ks-kar",
            "K.A.R. 100-29-18, Dry needling; education and practice requirements",
            "Kansas State Board of Healing Arts (via Cornell LII)",
            _P,
            "law.cornell.edu/regulations/kansas/K-A-R-100-29-18",
            "current through Register Vol. 43, No. 49, December 5, 2024",
        ),
        _src(
            "sop-ks-crrb",
            "State Board of Healing Arts K.A.R. 100-29-18 through 100-29-21 (summary: the rule "
            "prohibits delegating dry needling)",
            "Kansas Citizens Regulatory Review Board (archived page)",
            _P,
            "crrb.ks.gov/regulation-detail/2016/12/01/state-board-of-healing-arts-k.a.r.-100-29-18-"
            "through-100-29-21 (web archive, 2016-12-19)",
            "2016-12-01",
        ),
        _src(
            "sop-tn-tc",
            "Tennessee PT dry needling (summary of Tenn. Comp. R. & Regs. 1150-01-.22)",
            "TherapyComply",
            _S,
            "therapycomply.com/Tennessee-PT-Dry-Needling",
        ),
        _src(
            "sop-md-comar",
            "COMAR 10.38.12.03 Minimum education and training necessary to perform dry needling "
            "(as quoted)",
            "Maryland Board of Physical Therapy Examiners, quoted by APTA Maryland",
            _S,
            "aptamd.org/news/dry-needling-regs-effective-june-19th/",
            "2017-06-20",
        ),
        _src(
            "sop-md-register",
            "Maryland Register 45:12, proposed amendment to COMAR 10.38.12.03 (registration "
            "effective October 1, 2018)",
            "Maryland Department of Health",
            _P,
            "health.maryland.gov/regs/Pages/10-38-12-03-Dry-Needling-(PHYSICAL-THERAPY).aspx",
            "2018-06-08",
        ),
        _src(
            "sop-md-at",
            "Md. Code, Health Occupations §14-5D-11.4 (athletic trainers: approval to perform "
            "dry needling)",
            "Maryland General Assembly (via lawserver.com)",
            _P,
            "lawserver.com/law/state/maryland/md-laws/maryland_laws_health_occupations_14-5d-11-4",
        ),
        _src(
            "sop-la-board",
            "Dry needling: minimum criteria for licensees (and Board Rules §§123, 311)",
            "Louisiana Physical Therapy Board",
            _P,
            "laptboard.org/index.cfm/page/23",
        ),
        _src(
            "sop-nv-board",
            "Dry needling update (LCB File No. R054-19, approved June 5, 2020)",
            "Nevada Physical Therapy Board",
            _P,
            "ptboard.nv.gov/Licensure/Dry_Needling/",
        ),
        _src(
            "sop-wa-wsr",
            "WSR 24-11-160, Physical therapists intramuscular needling requirements (new WAC "
            "246-915-390; 2SHB 1039, chapter 198, Laws of 2023)",
            "Washington State Department of Health, Board of Physical Therapy",
            _P,
            "lawfilesext.leg.wa.gov/law/wsr/2024/11/24-11-160.htm",
            "effective 2024-06-22",
        ),
        _src(
            "sop-ut-rule",
            "Utah Admin. Code R156-24b-505, Trigger point dry needling: education and experience "
            "required, registration",
            "Utah Division of Professional Licensing (via Cornell LII)",
            _P,
            "law.cornell.edu/regulations/utah/Utah-Admin-Code-R156-24b-505",
        ),
        _src(
            "sop-ut-hb188",
            "H.B. 188 (2025 General Session), Dry Needling Amendments (repeals 58-24b-505; "
            "registration becomes a licensing requirement)",
            "Utah Legislature (via legiplex.com)",
            _P,
            "app.legiplex.com/ut/legislature/2025/2025-r/bills/hb0188/",
            "2025",
        ),
        _src(
            "sop-fl-486",
            "Fla. Stat. §486.117, Physical therapist; performance of dry needling",
            "Florida Legislature (via getpocketlaw.com)",
            _P,
            "getpocketlaw.com/law/state_florida/section-486-117-physical-therapist-performance-of-"
            "dry-needling_7d14ebf52ff2",
        ),
        _src(
            "sop-ga-rule",
            "Ga. Comp. R. & Regs. 490-9-.05, Dry needling (as quoted)",
            "Georgia State Board of Physical Therapy, quoted in an Elite Learning ebook",
            _S,
            "ebooks.elitelearning.com/view/70880120/40",
        ),
        _src(
            "sop-ny-op",
            "Practice alert: dry needling (chiropractic)",
            "New York State Education Department, Office of the Professions",
            _P,
            "op.nysed.gov/professions/chiropractic/practice-alerts/Dry-Needling-Practice-Alert",
        ),
        _src(
            "sop-hi-sb2225",
            "Standing Committee Report 2644 on S.B. 2225 (Hawaii is one of seven states that do "
            "not include dry needling in the PT scope)",
            "Hawaii State Legislature",
            _P,
            "capitol.hawaii.gov/session2020/commreports/SB2225_SD1_SSCR2644_.HTM",
            "2020",
        ),
        _src(
            "sop-ca-lc",
            "Why is dry needling illegal in California?",
            "LegalClarity",
            _S,
            "legalclarity.org/why-is-dry-needling-illegal-in-california",
        ),
        _src(
            "sop-tx-tbce",
            "Dry needling and the acupuncture rules (TBCE Rule 78.14), by the Board's General "
            "Counsel",
            "Texas Board of Chiropractic Examiners (B. Snoddy), via integrative-archives.com",
            _S,
            "integrative-archives.com/?p=16965",
        ),
        _src(
            "sop-nc-kc",
            "Scope of practice: North Carolina (2012 training guideline; January 2015 board "
            "notice)",
            "KinetaCore",
            _S,
            "kinetacore.com/about/scope-of-practice/north-carolina/",
        ),
        _src(
            "sop-boc-at",
            "The road to dry needling state policy in athletic training (North Carolina, Nevada)",
            "Board of Certification for the Athletic Trainer (BOC)",
            _S,
            "bocatc.org/newsroom/the-road-to-dry-needling-state-policy-in-athletic-training",
        ),
        _src(
            "sop-va-rule",
            "18VAC112-20-121 Practice of dry needling",
            "Virginia Board of Physical Therapy (Virginia Regulatory Town Hall; Myopain Seminars "
            "for the final text, signed 2020)",
            _P,
            "townhall.virginia.gov/L/ViewXML.cfm?textid=13315; "
            "myopainseminars.com/resources/us-rulings/virginia/",
            "2020",
        ),
        _src(
            "sop-nj-stat",
            "N.J.S.A. 45:9-37.34j (requirements) and 45:9-37.34k (performance, delegation, "
            "consent), P.L.2021, c.382",
            "New Jersey Legislature (via lawserver.com and njlaw.rutgers.edu)",
            _P,
            "lawserver.com/law/state/new-jersey/nj-laws/new_jersey_laws_45_9-37-34j; "
            "njlaw.rutgers.edu/cgi-bin/njstats/showsect.cgi?title=45&chapter=9&section=37.34k",
            "effective 2022-04-18",
        ),
        _src(
            "sop-il-pt",
            "225 ILCS 90/1.5, Dry needling (Illinois Physical Therapy Act)",
            "Illinois General Assembly",
            _P,
            "ilga.gov/legislation/ilcs/documents/022500900K1.5.htm",
        ),
        _src(
            "sop-il-at",
            "225 ILCS 5/4.5, Use of dry needling (Illinois Athletic Trainers Practice Act; "
            "Public Act 102-0307)",
            "Illinois General Assembly",
            _P,
            "ilga.gov/legislation/publicacts/102/102-0307.htm",
            "2021",
        ),
        _src(
            "sop-in-rule",
            "Is dry needling legal in Indiana? (quotes the board's final rule, LSA Document "
            "#22-353(F), effective April 19, 2023)",
            "Myopain Seminars",
            _C,
            "myopainseminars.com/resources/us-rulings/indiana/",
        ),
        _src(
            "sop-mt-pt",
            "ARM 24.177.413, Dry needling (Board of Physical Therapy Examiners)",
            "Montana Department of Labor and Industry (via Justia)",
            _P,
            "regulations.justia.com/states/montana/department-24/chapter-24-177/"
            "subchapter-24-177-4/rule-24-177-413/",
            "current through Register Vol. 6, March 22, 2024",
        ),
        _src(
            "sop-mt-dc",
            "ARM 24.126.515, Dry needling (Board of Chiropractors)",
            "Montana Department of Labor and Industry (Administrative Rules of Montana copy)",
            _P,
            "ARM 24.126.515 (2020 MAR p. 1737, effective 2020-09-26)",
            "effective 2020-09-26",
        ),
        _src(
            "sop-ne-ago",
            "Attorney General Opinion 16-9: whether dry needling is within the scope of practice "
            "of physical therapists, occupational therapists and athletic trainers",
            "Nebraska Attorney General (via vLex)",
            _P,
            "us.vlex.com/vid/phillips-070816-neago-ago-646323969",
            "2016-07-08",
        ),
        _src(
            "sop-myopain-ne",
            "Is dry needling legal in Nebraska? (board statement, June 2011)",
            "Myopain Seminars",
            _C,
            "myopainseminars.com/resources/us-rulings/nebraska/",
        ),
        _src(
            "sop-sd-rule",
            "ARSD 20:66:04:02, Dry needling course of study",
            "South Dakota Board of Physical Therapy (South Dakota Legislature)",
            _P,
            "sdlegislature.gov/Rules/Administrative/DisplayRule.aspx?Rule=20:66:04:02",
            "effective 2023-12-03",
        ),
        _src(
            "sop-tx-lc",
            "Who can perform dry needling in Texas?",
            "LegalClarity",
            _S,
            "legalclarity.org/who-can-perform-dry-needling-in-texas",
        ),
        _src(
            "sop-ia-kc",
            "Scope of practice: Iowa (board statement, June 2012)",
            "KinetaCore",
            _S,
            "kinetacore.com/about/scope-of-practice/iowa/",
        ),
        _src(
            "sop-ia-iaoma",
            "Iowa dry needling (Court of Appeals ruling, January 10, 2018)",
            "Iowa Acupuncture and Oriental Medicine Association",
            _S,
            "iaoma.org/dn-resource-iowa-dry-needling",
            "2018",
        ),
        _src(
            "sop-ky-idn",
            "Kentucky's Attorney General supports dry needling practice",
            "Integrative Dry Needling Institute (blog)",
            _S,
            "integrativedryneedling.com/2013/09/07/",
            "2013-09-07",
        ),
        _src(
            "sop-dc-rule",
            "Notice of final rulemaking: 17 DCMR Chapter 67, §6715.2 and new §6716 "
            "(intramuscular manual therapy)",
            "District of Columbia Department of Health (D.C. Register)",
            _P,
            "dcrules.elaws.us/dcr/1/28/2011/691433",
            "2011",
        ),
        _src(
            "sop-ms-pp",
            "Official position paper: dry needling by physical therapists (quotes the Attorney "
            "General's opinion on the board's 2012 rule)",
            "Mississippi Council of Advisors in Acupuncture (via doczz.net)",
            _S,
            "doczz.net/doc/6811735/position-paper-on-dry-needling",
            "2012-09-25",
        ),
        _src(
            "sop-nm-reg",
            "Notice of public rule hearing (16.20.13.8, requirements for physical therapists to "
            "provide dry needling)",
            "New Mexico Physical Therapy Board (New Mexico Register XXXVI, issue 11)",
            _P,
            "srca.nm.gov/nmac/nmregister/xxxvi/RLD-PTnotice_xxxvi11.html",
            "2025-06-10",
        ),
        _src(
            "sop-id-ipta",
            "Idaho Physical Therapy Association home page (H.B. 505 and the board's rules)",
            "Idaho Physical Therapy Association",
            _S,
            "ptidaho.org",
            "2018",
        ),
        _src(
            "sop-va-at",
            "Public comment on Petition 429 (athletic trainers performing dry needling), "
            "Regulations Governing the Licensure of Athletic Trainers [18 VAC 85-120]",
            "Virginia Regulatory Town Hall, Board of Medicine",
            _P,
            "townhall.virginia.gov/l/ViewComments.cfm?CommentID=234729",
            "2025-05-07",
        ),
    )
}

_PT, _PTA, _DC, _MD, _LAC, _AT = (
    Profession.PT,
    Profession.PTA,
    Profession.DC,
    Profession.PHYSICIAN,
    Profession.LAC,
    Profession.AT,
)
_OK, _NO, _UNCLEAR = Status.PERMITTED, Status.PROHIBITED, Status.UNCLEAR

_LIST_ONLY = (
    "Permitted (state lists); the training the board requires is not recorded here: "
    "check the board's rule."
)
_SILENT = "The PT practice act and board are silent on dry needling (state lists)."
_LISTS = ("sop-pphc", "sop-apta-list")

#: States the lists name as permitting PTs, with no training detail read for dntui.
_PT_PERMITTED_LIST_ONLY: Final = [
    "AL",
    "AK",
    "ME",
    "NH",
    "ND",
    "OH",
    "RI",
    "SC",
    "VT",
    "WV",
    "WI",
    "WY",
]

ENTRIES: Final[tuple[ScopeEntry, ...]] = (
    *(ScopeEntry(st, _PT, _OK, _LIST_ONLY, sources=_LISTS) for st in _PT_PERMITTED_LIST_ONLY),
    ScopeEntry(
        "NJ",
        _PT,
        _OK,
        "A DPT (or licensed in New Jersey since January 1, 2003); 2 years of clinical practice "
        "in New Jersey; current CPR certification; a board-approved dry needling program with "
        "at least 40 hours of in-person academic instruction; communication with the referring "
        "physician; written informed consent. The board keeps a list of approved courses.",
        min_hours=40,
        min_years=2,
        sources=("sop-nj-stat", "sop-myopain-2026", *_LISTS),
        note="P.L.2021, c.382, in force since April 18, 2022 (a 2017 Attorney General opinion had "
        "stopped PTs from dry needling).",
    ),
    ScopeEntry(
        "NJ",
        _PTA,
        _NO,
        sources=("sop-nj-stat",),
        note="N.J.S.A. 45:9-37.34k: dry needling shall not be delegated to a physical therapist "
        "assistant or student physical therapist.",
    ),
    ScopeEntry(
        "IL",
        _PT,
        _OK,
        "50 hours of foundational instruction (musculoskeletal and neuromuscular systems, pain "
        "mechanisms, trigger point theory, universal precautions), then at least 30 hours of "
        "dry-needling didactic course work and 54 practicum hours in FSBPT-approved (or "
        "equivalent) course work, as set by Department rule.",
        min_hours=84,
        sources=("sop-il-pt", *_LISTS),
        note="Min. hours counts the dry-needling-specific 30 + 54 = 84 hours. The statute page showed the "
        "Act scheduled for repeal on January 1, 2026 (a sunset date): check it was extended.",
    ),
    ScopeEntry(
        "IL",
        _AT,
        _OK,
        "50 hours of foundational instruction, at least 30 hours of dry-needling didactic course "
        "work, 54 practicum hours and 200 supervised patient treatment sessions, with further "
        "requirements set by Department rule.",
        min_hours=84,
        sources=("sop-il-at",),
        note="Min. hours counts the dry-needling-specific 30 + 54 = 84 hours.",
    ),
    ScopeEntry(
        "IN",
        _PT,
        _OK,
        "After June 30, 2024: 50 hours of dry-needling education (40 in person); entry-level "
        "program hours count; documentation on request.",
        min_hours=50,
        sources=("sop-in-rule", *_LISTS),
    ),
    ScopeEntry(
        "IN",
        _PTA,
        _NO,
        sources=("sop-in-rule",),
        note="The rule (LSA Document #22-353(F)): dry needling shall be performed directly by the "
        "physical therapist and shall not be delegated.",
    ),
    ScopeEntry(
        "MT",
        _PT,
        _OK,
        "Training meeting APTA or FSBPT continuing-education standards, with hands-on training "
        "and written and practical examinations; documentation on request.",
        sources=("sop-mt-pt", *_LISTS),
    ),
    ScopeEntry(
        "MT",
        _PTA,
        _NO,
        sources=("sop-mt-pt",),
        note="ARM 24.177.413(5): only a licensed physical therapist, and it may not be delegated.",
    ),
    ScopeEntry(
        "MT",
        _DC,
        _OK,
        "Dry needling training with hands-on training, approved by a chiropractic association, "
        "board, college or FCLB PACE; proof of training kept; not delegated.",
        sources=("sop-mt-dc",),
    ),
    ScopeEntry(
        "NE",
        _PT,
        _OK,
        "The board (2011): permitted for a PT who can competently perform it; no hours set in "
        "the sources read.",
        sources=("sop-ne-ago", "sop-myopain-ne", *_LISTS),
    ),
    ScopeEntry(
        "NE",
        _PTA,
        _NO,
        sources=("sop-myopain-ne",),
        note="Board of Physical Therapy statement (June 2011): this does not include physical "
        "therapy assistants.",
    ),
    ScopeEntry(
        "NE",
        _AT,
        _NO,
        sources=("sop-ne-ago",),
        note="Attorney General Opinion 16-9 (July 8, 2016): not within the scope of athletic "
        "trainers; check for later law.",
    ),
    ScopeEntry(
        "SD",
        _PT,
        _OK,
        "A board-approved course (mostly in person, with a hands-on evaluation and a written "
        "examination); needle only the body parts the course covered.",
        sources=("sop-sd-rule", *_LISTS),
    ),
    ScopeEntry(
        "TX",
        _PT,
        _OK,
        "Formal training and competence; the board sets no hour requirement (secondary source).",
        sources=("sop-tx-lc", *_LISTS),
        note="Board determination January 2008; Attorney General opinion KP-0082 (May 2016).",
    ),
    ScopeEntry(
        "TX",
        _PTA,
        _NO,
        sources=("sop-tx-lc",),
        note="Secondary source: dry needling cannot be delegated to a physical therapist "
        "assistant.",
    ),
    ScopeEntry(
        "IA",
        _PT,
        _OK,
        "Board statement (2012): an advanced skill needing training beyond entry level; no hours "
        "set.",
        sources=("sop-ia-kc", "sop-ia-iaoma", *_LISTS),
        note="The Court of Appeals affirmed the board's position on January 10, 2018.",
    ),
    ScopeEntry(
        "KY",
        _PT,
        _OK,
        _LIST_ONLY,
        sources=("sop-ky-idn", *_LISTS),
        note="Board opinion and declaratory ruling (2010), supported by the Attorney General "
        "(September 2013).",
    ),
    ScopeEntry(
        "DC",
        _PT,
        _OK,
        "Intramuscular manual therapy (dry needling) under 17 DCMR §6716 (2011); its "
        "requirements are not recorded here: check the rule.",
        sources=("sop-dc-rule", *_LISTS),
    ),
    ScopeEntry(
        "MS",
        _PT,
        _OK,
        _LIST_ONLY,
        sources=("sop-ms-pp", *_LISTS),
        note="Board rule (2012) upheld by an Attorney General opinion, as quoted by the "
        "acupuncture council.",
    ),
    ScopeEntry(
        "NM",
        _PT,
        _OK,
        "Requirements in 16.20.13 NMAC; not recorded here.",
        sources=("sop-nm-reg", *_LISTS),
        note="The board held rule hearings on 16.20.13.8 (requirements to provide dry needling) "
        "in 2025: check the current rule.",
    ),
    ScopeEntry(
        "ID",
        _PT,
        _OK,
        _LIST_ONLY,
        sources=("sop-id-ipta", *_LISTS),
        note="H.B. 505 (2018) added dry needling to the PT practice act; the board said not to "
        "use it until its rules were in place.",
    ),
    ScopeEntry(
        "AR",
        _PT,
        _UNCLEAR,
        sources=(*_LISTS, "sop-myopain-2025"),
        note="Sources disagree: the state lists (January 2026) say permitted; Myopain Seminars "
        "(2025) names Arkansas among boards that are silent or may not give an opinion.",
    ),
    ScopeEntry(
        "AZ",
        _PT,
        _OK,
        "24 hours of dry needling training; proof of the qualifications to the board within 30 "
        "days of the course.",
        min_hours=24,
        registration=True,
        sources=("sop-pphc",),
    ),
    ScopeEntry(
        "CO",
        _PT,
        _OK,
        "50 hours in all (40 in person), 30 of them before needling patients; 4 years to "
        "complete the 50. Written informed consent.",
        min_hours=30,
        sources=("sop-pphc", "sop-co-rule11"),
        note="An older text of Rule 11 (as quoted) asked for 2 years of practice and 46 in-person "
        "hours: check the current rule.",
    ),
    ScopeEntry(
        "DE",
        _PT,
        _OK,
        "2 years of licensed practice; 54 in-person hours, 25 of them before needling patients, "
        "all 54 within 2 years.",
        min_hours=25,
        min_years=2,
        sources=("sop-pphc",),
    ),
    ScopeEntry(
        "FL",
        _PT,
        _OK,
        "2 years of licensed practice; 50 hours of face-to-face continuing education on dry "
        "needling with a psychomotor skills check; 25 supervised patient sessions; patient "
        "consent and a plan of care; attestation form to the board.",
        min_hours=50,
        min_years=2,
        registration=True,
        sources=("sop-fl-486", "sop-pphc"),
    ),
    ScopeEntry(
        "FL",
        _PTA,
        _NO,
        sources=("sop-fl-486",),
        note="§486.117(1)(e): dry needling may not be delegated to anyone other than a physical "
        "therapist authorized to perform it.",
    ),
    ScopeEntry(
        "GA",
        _PT,
        _OK,
        "50 in-person hours; consultation with a practitioner licensed under Article 2 or 4 "
        "of O.C.G.A. Title 43 Chapter 34 (as the rule says); documentation of the training "
        "submitted to the board. Online study is not accepted (except the OSHA bloodborne "
        "pathogens standard).",
        min_hours=50,
        registration=True,
        sources=("sop-ga-rule", "sop-pphc"),
    ),
    ScopeEntry(
        "KS",
        _PT,
        _OK,
        "A board-approved dry needling course with written and practical examinations (unless "
        "part of graduate or postgraduate education); online and self-study do not count.",
        sources=("sop-ks-kar",),
    ),
    ScopeEntry(
        "KS",
        _PTA,
        _NO,
        sources=("sop-ks-crrb", "sop-ks-kar"),
        note="K.A.R. 100-29-18 prohibits delegating dry needling; only a competent physical "
        "therapist performs it.",
    ),
    ScopeEntry(
        "LA",
        _PT,
        _OK,
        "2 years of licensed practice before the training; 50 hours of face-to-face instruction "
        "in a board-approved course; certificates and a signed acknowledgement sent to the board.",
        min_hours=50,
        min_years=2,
        registration=True,
        sources=("sop-la-board",),
    ),
    ScopeEntry(
        "MD",
        _PT,
        _OK,
        "80 hours of instruction (40 in dry-needling course content, 40 practical); registration "
        "with the board (since October 1, 2018); written informed consent.",
        min_hours=80,
        registration=True,
        sources=("sop-md-comar", "sop-md-register", "sop-myopain-md"),
        note="December 2025: the board proposed amendments (provisional registration after 20 "
        "hours, PTAs after 2 years); check whether they took effect.",
    ),
    ScopeEntry(
        "MD",
        _PTA,
        _UNCLEAR,
        sources=("sop-myopain-md",),
        note="Amendments proposed in December 2025 would allow PTAs after 2 years of practice, "
        "supervised by a registered PT; check whether they took effect.",
    ),
    ScopeEntry(
        "MD",
        _AT,
        _OK,
        "80 hours (40 course content, 40 hands-on under a practitioner with 5 years of dry "
        "needling) in a NATA-, BOC- or armed-forces-approved course; approval from the Board "
        "of Physicians.",
        min_hours=80,
        registration=True,
        sources=("sop-md-at", "sop-myopain-at"),
    ),
    ScopeEntry(
        "NV",
        _PT,
        _OK,
        "150 hours of dry needling education and training, including 25 hours in a postgraduate "
        "course with in-person written and practical examinations; proof sent to the board.",
        min_hours=150,
        registration=True,
        sources=("sop-nv-board",),
    ),
    ScopeEntry(
        "NV",
        _AT,
        _OK,
        "150 hours of didactic education and training; proof sent to the Nevada State Board of "
        "Athletic Trainers.",
        min_hours=150,
        registration=True,
        sources=("sop-myopain-at", "sop-boc-at"),
    ),
    ScopeEntry(
        "NC",
        _PT,
        _OK,
        "No regulation sets the training (board notice, January 2015); a 2012 guideline asked "
        "for 54 contact hours of face-to-face training.",
        sources=("sop-nc-kc", *_LISTS),
    ),
    ScopeEntry(
        "NC",
        _AT,
        _OK,
        "54 hours of BOC-approved dry needling training (board policy, statement October 2019).",
        min_hours=54,
        sources=("sop-boc-at", "sop-myopain-at"),
    ),
    ScopeEntry(
        "AZ",
        _AT,
        _OK,
        "Allowed with the appropriate education and training (SB 1398); hours not recorded here.",
        sources=("sop-myopain-at",),
    ),
    ScopeEntry(
        "TN",
        _PT,
        _OK,
        "50 hours of foundational instruction (usually met in PT school) plus 24 hours of "
        "dry-needling-specific instruction, all in person.",
        min_hours=24,
        sources=("sop-tn-tc", *_LISTS),
    ),
    ScopeEntry(
        "TN",
        _AT,
        _UNCLEAR,
        sources=("sop-myopain-at",),
        note="The athletic trainers' board had not approved dry needling as of June 13, 2022.",
    ),
    ScopeEntry(
        "UT",
        _PT,
        _OK,
        "Registration; 2 years of unrestricted licence; an APTA- or FSBPT-approved course with "
        "250 supervised treatment sessions (the 2014 statute: 54 in-person hours, 300 hours in "
        "all).",
        min_years=2,
        registration=True,
        sources=("sop-ut-rule", "sop-myopain-ut", "sop-ut-hb188"),
        note="H.B. 188 (2025) repeals 58-24b-505 and moves registration into licensing: check the "
        "current requirements.",
    ),
    ScopeEntry(
        "VA",
        _PT,
        _OK,
        "Post-graduate dry-needling training (didactic and face-to-face laboratory, theoretical "
        "and practical examination) in an FSBPT-certified or approved course; referral and "
        "direction; informed consent stating it is not acupuncture.",
        sources=("sop-va-rule",),
    ),
    ScopeEntry(
        "VA",
        _PTA,
        _NO,
        sources=("sop-va-rule",),
        note="18VAC112-20-121: dry needling shall not be delegated to a physical therapist "
        "assistant or other support personnel.",
    ),
    ScopeEntry(
        "VA",
        _AT,
        _UNCLEAR,
        sources=("sop-va-at",),
        note="Petition 429 to the Board of Medicine (2025) asks to permit athletic trainers to "
        "dry needle; check its outcome.",
    ),
    ScopeEntry(
        "WA",
        _PT,
        _OK,
        "An intramuscular needling endorsement from the board (WAC 246-915-390, since June 22, "
        "2024); education and training hours not recorded here.",
        registration=True,
        sources=("sop-wa-wsr", *_LISTS),
    ),
    ScopeEntry("CA", _PT, _NO, sources=(*_LISTS, "sop-myopain-2025", "sop-ca-lc")),
    ScopeEntry(
        "CA",
        _LAC,
        _OK,
        "An acupuncture licence.",
        sources=("sop-ca-lc",),
        note="Secondary source only.",
    ),
    ScopeEntry(
        "CA",
        _MD,
        _OK,
        sources=("sop-ca-lc",),
        note="Secondary source only: physicians may generally perform it.",
    ),
    ScopeEntry("HI", _PT, _NO, sources=(*_LISTS, "sop-hi-sb2225", "sop-myopain-2025")),
    ScopeEntry("OR", _PT, _NO, sources=(*_LISTS, "sop-myopain-2025")),
    ScopeEntry("NY", _PT, _NO, sources=(*_LISTS, "sop-myopain-2025")),
    ScopeEntry(
        "NY",
        _DC,
        _NO,
        sources=("sop-ny-op",),
        note="Education Law §6551 gives chiropractors no authority to treat by inserting needles.",
    ),
    ScopeEntry(
        "NY",
        _LAC,
        _OK,
        "An acupuncture licence (dry needling is within the acupuncture scope).",
        sources=("sop-ny-op",),
    ),
    ScopeEntry(
        "NY",
        _MD,
        _OK,
        "Certification to use acupuncture from the State Education Department (Commissioner's "
        "Regulation §60.9).",
        registration=True,
        sources=("sop-ny-op",),
    ),
    *(ScopeEntry(st, _PT, _UNCLEAR, sources=_LISTS, note=_SILENT) for st in ("CT", "MA", "MN")),
    *(
        ScopeEntry(st, _PT, _UNCLEAR, sources=(*_LISTS, "sop-myopain-2025"), note=_SILENT)
        for st in ("MI", "MO", "OK")
    ),
    ScopeEntry(
        "PA",
        _PT,
        _UNCLEAR,
        sources=(*_LISTS, "sop-myopain-2025", "sop-myopain-2026"),
        note=_SILENT + " H.B. 2070 (introduced November 2025) would add it to the PT scope.",
    ),
    ScopeEntry(
        "TX",
        _DC,
        _OK,
        "Dry needling falls under the board's acupuncture rules (Rule 78.14): for chiropractors "
        "licensed before 2010, 100 hours of acupuncture training or a national acupuncture "
        "examination; later licensees: see the rule.",
        sources=("sop-tx-tbce",),
    ),
)

#: The 50 states and the District of Columbia.
STATES: Final[dict[str, str]] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

#: One-line titles for ``dntui.domain.sources.SOURCES`` (every key has a row in docs/sources.md).
SCOPE_SOURCE_TITLES: Final[dict[str, str]] = {
    k: f"{s.publisher}: {s.title}" for k, s in SCOPE_SOURCES.items()
}
