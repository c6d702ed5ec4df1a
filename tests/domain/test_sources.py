"""Every source key the code cites is described in docs/sources.md."""

from __future__ import annotations

import re
from pathlib import Path

from dntui.domain.sources import SOURCES, SOURCES_DOC

DOC = Path(__file__).resolve().parents[2] / SOURCES_DOC


def _documented_keys() -> set[str]:
    keys = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| ([0-9a-z][0-9a-z-]*) \|", line)
        if m:
            keys.add(m.group(1))
    return keys


def test_every_source_key_is_in_docs_sources_md() -> None:
    assert DOC.exists(), SOURCES_DOC
    missing = set(SOURCES) - _documented_keys()
    assert not missing, f"keys without a row in {SOURCES_DOC}: {sorted(missing)}"


def test_every_row_has_all_columns_filled() -> None:
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| ([0-9a-z][0-9a-z-]*) \|", line)
        if m and m.group(1) in SOURCES:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 7 and all(cells), line


def test_bn121_is_the_allied_health_council() -> None:
    assert SOURCES["22"].startswith("AHPCSA")
    assert "Anthem" in SOURCES["14"] and "TRICARE" in SOURCES["9b"]


def test_code_no_longer_points_at_shared_domain_md() -> None:
    src = Path(__file__).resolve().parents[2] / "dntui" / "domain" / "sources.py"
    assert "docs/sources.md" in src.read_text(encoding="utf-8")


def test_no_module_cites_a_document_outside_the_repository_or_the_old_bn121_label() -> None:
    """Rules cite source keys described in docs/sources.md, not the project's notes
    (shared/domain.md, outside the repository); BN121 is the AHPCSA's, not the HPCSA's."""
    root = Path(__file__).resolve().parents[2] / "dntui"
    found = []
    for path in sorted(root.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "domain.md" in line or re.search(r"(?<!A)HPCSA", line):
                found.append(f"{path.relative_to(root.parent)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)
