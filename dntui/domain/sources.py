"""Where each rule comes from.

Every key is described in full in ``docs/sources.md`` in this repository (title,
publisher, year, address, the date it was read and which rules use it); the
numbered keys started as the bracketed numbers of the project's domain notes.
Rules elsewhere in ``dntui.domain`` carry ``source=("22c", ...)`` tuples that
refer to these keys, so a reviewer can always trace a warning back to a document.
``tests/domain/test_sources.py`` checks that every key here is in docs/sources.md.
"""

from typing import Final

#: The document that describes every key (relative to the repository root).
SOURCES_DOC: Final = "docs/sources.md"

SOURCES: dict[str, str] = {
    "1": "myzhealth.io, CPT 20560 dry needling billing guide",
    "1b": "myzhealth.io, Mastering CPT code 20561 for acupuncturists",
    "2": "AAPC coding alert: count right and left trapezius separately",
    "3": "AAPC: 20552/20553 paraspinal trigger-point injection counting",
    "3c": "NCCI modifier study guide (59 and XE/XS/XP/XU)",
    "4": "EmblemHealth policy, trigger point injection CPT 20552/20553 and dry needling",
    "5": "CPT 2020 cross-reference notes as quoted in coding tips",
    "5b": "CPT 20560 summary (no modifier 50)",
    "6": "DecisionHealth Part B News, Feb 2020: 2020 national non-facility rates",
    "7": "APTA Pelvic Health, 2020 Medicare physician fee schedule coding update",
    "8": "APTA, 2022-02-02: dry needling ABN update",
    "9": "Gawenda Seminars: Does Medicare now pay for dry needling?",
    "9b": "TRICARE: dry needling not covered",
    "10": "WebPT, Ask the compliance experts: live billing Q&A FAQ (Oct 2025)",
    "11": "CMS NCD 30.3.3, acupuncture for chronic low back pain (2020)",
    "12": "AmeriHealth Medicare Advantage acupuncture policy (KX for sessions 13-20)",
    "13": "AAPC forum and lw-consult.com on 97140 misuse for dry needling",
    "14": "Anthem 2024 dry needling policy, as discussed on aapc.com",
    "15": "mirahealth.care reference: CPT 20560",
    "17": "ICD-10-CM M79.1 myalgia family",
    "18": "ICD-10-CM M54.5 deleted Oct 2021 (M54.50/M54.51/M54.59)",
    "19": "ICD-10-CM M62.838 other muscle spasm",
    "21": "APTA 2013 dry needling resource paper (contraindications), as quoted",
    "22": "AHPCSA (Allied Health Professions Council of South Africa) board notice BN121, sections 3, 5.1, 5.2, 5.4",
    "22c": "AHPCSA BN121 5.2: thorax, lung depth, no bilateral thoracic needling in one session",
    "22d": "AHPCSA BN121: organ and spinal-canal risk regions",
    "22e": "AHPCSA BN121: nerve and vessel risk regions",
    "23": "Dommerholt et al. 2022, Pain Research and Management 1363477 (antithrombotics)",
    "24": "Kearns et al. 2019 (PubMed 30935332)",
    "25": "Australian physiotherapy acupuncture and dry needling precautions",
    "26": "Virginia 18VAC112-20-121 (dry needling: consent with risks and benefits, not acupuncture; not delegated to a PTA)",
    "26b": "Virginia Board of Physical Therapy dry needling guidance",
    "27": "Colorado dry needling rules (written consent)",
    "28": "Maryland dry needling requirements (aptamd.org)",
    "29": "Alabama Admin Code 190-X-3-.03",
    "30": "Physiotherapy Alberta: dry needling adverse events FAQ and critical event management",
    "31": "Boyce et al. 2020, adverse events of dry needling",
    "31b": "Brady et al. 2014, adverse events following trigger point dry needling",
    "33": "vertexpt.com 2025: pneumothorax after rhomboid dry needling (case)",
    "35": "PMC10693480: needling depth and organ risk",
    "36": "Needling safety anatomy studies (nerve and vessel proximity)",
    "37": "Western Journal of Emergency Medicine: pneumothorax after dry needling, case series",
    "38": "Royal College of Emergency Medicine: pneumothorax discharge advice",
    "39": "Dry needling aftercare summaries (clinic handouts)",
    "39b": "Dry needling aftercare summaries (second set)",
    "40": "Dry needling consent form (aftercare section)",
    "46": "AMA CPT licensing; OpenEMR code types wiki and issue 5772",
    "48": "Military Health System dry needling practitioner survey",
    "ncd": "CMS NCD 30.3.3",
    "ncd-memo": "CMS decision memo CAG-00452N, acupuncture for chronic low back pain (Jan 21, 2020)",
    "fcso-abn": "First Coast Service Options (Medicare contractor): ABN modifiers GA, GX, GY, GZ (2024)",
    "estim-codes": "ACA (Hamm): Billing for dry needling services; CPT/HCPCS e-stim codes 97014, G0283, 97032",
    "patel2019": "Patel, Patel, Poustinchian 2019, Dry needling-induced pneumothorax, J Am Osteopath Assoc 119:59-62",
    "mintken2025": "Mintken, Denman, Dommerholt 2025, Pneumothorax after dry needling of intrascapular muscles, Phys Ther 105(8)",
    "ta2": "FIPAT, Terminologia Anatomica, 2nd edition (2019): which named parts make up one muscle",
    "anat": "Standard anatomy textbook relations (Gray's Anatomy, 42nd ed., 2020): structures next to a muscle",
    "apta2013": "APTA 2013, Description of dry needling in clinical practice (pregnancy: first trimester), as quoted",
    "preg-regions": "GEMt (gemtinfo.com.au): dry needling during pregnancy, regions to avoid",
    "estim-implant": "Cummings 2011, Safety aspects of electroacupuncture, Acupuncture in Medicine 29(2):83 (pacemaker interference)",
    "rvu2026": "RVU Edge, CPT 20561 (CMS PFS RVU26A, 2026 conversion factor $33.40)",
    "asap2013": "Australian Society of Acupuncture Physiotherapists, Guidelines for safe acupuncture and dry needling practice (2013)",
    "seed": "The article dntui was started from: dry needling risks (incl. nerve injury), aftercare with recommended exercises",
    "cuh-stretch": "Cambridge University Hospitals NHS: Stretches, back pain management programme (patient leaflet)",
    "hw-calf": "Healthwise, for Michigan Medicine: Calf stretch (patient instructions, 2023)",
    "uf-piriformis": "University of Florida RecSports, corrective exercises: Piriformis stretch",
    "merck-wrist": "Merck Manual Consumer Version: Wrist extensor stretch (Tomah Memorial Hospital physical therapy)",
    "cemm-wrist": "US Air Force Center of Excellence for Medical Multimedia: Wrist stretching",
    "mkuh-lower-b": "Milton Keynes University Hospital NHS: Lower limb stretches leaflet B (adductors, TFL/iliotibial band)",
    "mkuh-upper": "Milton Keynes University Hospital NHS: Upper limb stretches (biceps, triceps, rhomboids, pectorals, latissimus dorsi)",
    "nprs": "NINDS Common Data Elements: Numeric Pain Rating Scale (NPRS), whole numbers 0-10",
    "psfs": "Stratford, Gill, Westaway, Binkley 1995, Patient-Specific Functional Scale, Physiotherapy Canada 47:258-263",
    "loinc-nprs": "LOINC 72514-3, Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    "icd10cm": "CDC/NCHS ICD-10-CM Tabular List of Diseases and Injuries (FY2022 and later)",
}


def cite(*keys: str) -> str:
    """Human-readable citation for source keys, e.g. ``cite("2", "3")``."""
    return "; ".join(f"[{k}] {SOURCES[k]}" for k in keys)


# Scope-of-practice sources (issue #14): described in scope_data.SCOPE_SOURCES and
# docs/sources.md, listed in full (with each state entry) in docs/scope-of-practice.md.
from dntui.domain.scope_data import SCOPE_SOURCE_TITLES  # noqa: E402

SOURCES.update(SCOPE_SOURCE_TITLES)
