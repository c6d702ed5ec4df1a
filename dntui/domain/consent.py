"""The default dry-needling consent text shown before a visit.

Consent must be written and dry-needling specific in some states and must say
that dry needling is not acupuncture (Virginia) [26][27][28]; the risks named are
those of shared/domain.md: pneumothorax over the thorax [22c], and the common
minor effects (bruising, soreness, tiredness) [30][31]. Clinics may replace it;
the record keeps which version was agreed to.
"""

from __future__ import annotations

CONSENT_VERSION = "dntui-default-1"
CONSENT_SOURCES = ("26", "27", "28", "22c", "30", "31")

CONSENT_TEXT = """\
Dry needling uses thin solid filament needles inserted into muscle to treat pain \
and movement problems. Dry needling is not acupuncture. Nothing is injected.

Common effects: soreness during or after treatment, bruising, bleeding at the \
needle site, tiredness, and, less often, faintness or nausea.
Rare but serious: needling over the chest or upper back can puncture a lung \
(pneumothorax). Shortness of breath, chest pain or a dry cough after treatment \
need emergency care.

You may ask questions, refuse, or stop the treatment at any time."""


def consent_version(text: str) -> str:
    """The default text keeps its name; a clinic's own text is named by its content hash."""
    import hashlib

    if text.strip() == CONSENT_TEXT.strip():
        return CONSENT_VERSION
    return "clinic-" + hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]
