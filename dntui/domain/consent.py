"""The default dry-needling consent text shown before a visit.

Consent must be written and dry-needling specific in some states and must say
that dry needling is not acupuncture (Virginia) [26][27][28]; the risks named are
those of the domain notes (docs/sources.md): pneumothorax over the thorax [22c], and the common
minor effects (bruising, soreness, tiredness) [30][31]. Clinics may replace it;
the record keeps which version was agreed to.
"""

from __future__ import annotations

CONSENT_VERSION = "dntui-default-2"
CONSENT_SOURCES = ("26", "27", "28", "22", "22c", "30", "31", "seed")


#: Virginia's final rule: the consent includes the risks and benefits and clearly
#: states that the patient is not receiving acupuncture [26]. Nerve injury is among
#: the rare serious effects in the seed article [seed]; infection from the AHPCSA
#: notice [22]; the common effects [30][31]; pneumothorax [22c].
CONSENT_TEXT = """\
Dry needling uses thin solid filament needles inserted into muscle to treat pain \
and movement problems. You are not receiving an acupuncture treatment. Nothing is \
injected.

Expected benefits: less pain and muscle tension, and easier movement, usually as \
part of a wider treatment plan. Results vary and are not guaranteed.

Common effects: soreness during or after treatment, bruising, bleeding at the \
needle site, tiredness, and, less often, faintness or nausea.
Rare but serious: infection at a needle site; nerve injury; needling over the \
chest or upper back can puncture a lung (pneumothorax). Shortness of breath, \
chest pain or a dry cough after treatment need emergency care.

Alternatives: other treatments such as exercise, manual therapy, or no needling; \
your clinician can explain them.

You may ask questions, refuse, or stop the treatment at any time."""


#: Earlier default texts, so a consent.txt written by an older dntui keeps its name.
#: It is not rewritten: a clinic that kept the old default should replace the file
#: (delete it and the new default is written) to name nerve injury, infection,
#: benefits and alternatives.
PREVIOUS_DEFAULTS: dict[str, str] = {
    "dntui-default-1": """\
Dry needling uses thin solid filament needles inserted into muscle to treat pain \
and movement problems. Dry needling is not acupuncture. Nothing is injected.

Common effects: soreness during or after treatment, bruising, bleeding at the \
needle site, tiredness, and, less often, faintness or nausea.
Rare but serious: needling over the chest or upper back can puncture a lung \
(pneumothorax). Shortness of breath, chest pain or a dry cough after treatment \
need emergency care.

You may ask questions, refuse, or stop the treatment at any time.""",
}


def consent_version(text: str) -> str:
    """The default text keeps its name; a clinic's own text is named by its content hash."""
    import hashlib

    if text.strip() == CONSENT_TEXT.strip():
        return CONSENT_VERSION
    for version, old in PREVIOUS_DEFAULTS.items():
        if text.strip() == old.strip():
            return version
    return "clinic-" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]
