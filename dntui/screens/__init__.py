"""Textual screens. Thin: they call the domain and the store."""
