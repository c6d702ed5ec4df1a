"""Write docs/scope-of-practice.md from dntui/domain/scope_data.py.

Run from the repository root after editing the scope table:

    python tools/gen_scope_doc.py

tests/domain/test_scope.py fails while the page and the data differ.
"""

from __future__ import annotations

from pathlib import Path

from dntui.domain.scope import render_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "scope-of-practice.md"


def main() -> None:
    DOC.write_text(render_markdown(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
