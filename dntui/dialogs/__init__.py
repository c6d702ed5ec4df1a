"""Dialogs, one module each, typed by what they return (``ModalScreen[T]``).

They sit below screens and widgets so that both can open them.
"""
