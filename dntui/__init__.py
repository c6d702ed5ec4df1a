"""dntui: log dry-needling visits from the terminal.

Kept deliberately empty of imports: anything imported here is paid for by every
``dntui`` start, including the path to the first screen.
"""

__version__ = "0.1.0"
