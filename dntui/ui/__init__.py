"""The lowest UI layer: plain widgets and typed access to the app, used by every other UI module."""
