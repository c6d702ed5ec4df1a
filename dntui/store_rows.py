"""Display words for stored values, shared by screens and exports (no SQL here)."""

STATUS_TEXT: dict[str, str] = {
    "draft": "draft",
    "signed": "signed",
    "entered-in-error": "entered in error",
}
