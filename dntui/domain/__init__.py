"""Pure clinical and billing rules for dntui: catalogs, screening, billing, instructions.

Nothing in this package imports Textual or SQL; each rule names its source
(see ``dntui.domain.sources`` and docs/sources.md).
"""
