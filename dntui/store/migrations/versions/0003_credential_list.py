"""Credentials become a fixed list; practitioners gain the acupuncture-degree flag.

Free-text credentials written before the list ("Physical Therapist", "PT, DPT",
"D.C.") are mapped onto it (PT, DPT, PTA, DC, MD, DO, PA, NP, CNS, LAc); a value
that names none of them is left as it was, so nothing is lost and the practitioner
form shows it for correction. The mapping is a copy of
``dntui.domain.credentials.parse_credential`` as it was when this migration was
written: a migration must not change when the code does.

Muscle ids are unchanged by this release (parts of one muscle got an
``anatomical`` attribute instead of new ids), so visits' muscles carry forward
as they are. Signed visits keep the billing they were signed with: this migration
does not touch ``visit`` or ``visit_muscle``.

``practitioner`` gets its column with ADD COLUMN (no table rebuild), on SQLite and
PostgreSQL alike.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (kept for autogenerate's types; alembic issue #1647)
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CODES = ("PT", "DPT", "PTA", "DC", "MD", "DO", "PA", "NP", "CNS", "LAc")
_ALIASES = (
    ("PHYSICAL THERAPIST ASSISTANT", "PTA"),
    ("PHYSICAL THERAPY ASSISTANT", "PTA"),
    ("DOCTOR OF PHYSICAL THERAPY", "DPT"),
    ("PHYSICAL THERAPIST", "PT"),
    ("PHYSIOTHERAPIST", "PT"),
    ("CHIROPRACTOR", "DC"),
    ("DOCTOR OF CHIROPRACTIC", "DC"),
    ("PHYSICIAN ASSISTANT", "PA"),
    ("NURSE PRACTITIONER", "NP"),
    ("CLINICAL NURSE SPECIALIST", "CNS"),
    ("LICENSED ACUPUNCTURIST", "LAc"),
    ("ACUPUNCTURIST", "LAc"),
    ("OSTEOPATHIC PHYSICIAN", "DO"),
    ("PHYSICIAN", "MD"),
)
_TOKENS = {
    "PTA": "PTA",
    "DPT": "DPT",
    "MPT": "PT",
    "MSPT": "PT",
    "PT": "PT",
    "DC": "DC",
    "MD": "MD",
    "DO": "DO",
    "PA": "PA",
    "PAC": "PA",
    "NP": "NP",
    "APRN": "NP",
    "CNS": "CNS",
    "LAC": "LAc",
}
_PREFERENCE = ("MD", "DO", "DPT", "PT", "PTA", "DC", "PA", "NP", "CNS", "LAc")


def map_credential(text: str) -> str | None:
    """The fixed-list code for a stored credential, or None when it names none."""
    if text.strip() in _CODES:
        return text.strip()
    cleaned = " ".join("".join(c if c.isalnum() else " " for c in text).upper().split())
    if not cleaned:
        return None
    squeezed = cleaned.replace(" ", "")
    if squeezed in _TOKENS:
        return _TOKENS[squeezed]
    for phrase, code in _ALIASES:
        if phrase in cleaned:
            return code
    found = {_TOKENS[t] for t in cleaned.split() if t in _TOKENS}
    for code in _PREFERENCE:
        if code in found:
            return code
    return None


def upgrade() -> None:
    op.add_column(
        "practitioner",
        sa.Column("acupuncture_degree", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, credentials FROM practitioner")).fetchall()
    for pid, text in rows:
        code = map_credential(text or "")
        if code is not None and code != text:
            bind.execute(
                sa.text("UPDATE practitioner SET credentials = :c WHERE id = :i"),
                {"c": code, "i": pid},
            )


def downgrade() -> None:
    # The mapped codes stay: they are valid free text for the older schema too.
    op.drop_column("practitioner", "acupuncture_degree")
