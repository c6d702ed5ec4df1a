"""Where dntui keeps its files, and the user's settings.

Light on purpose: this module is on the path to the first screen, so it imports
only the standard library and platformdirs. Every file and folder it creates is
private to its owner (shared/reliability.md, "File permissions").
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dntui.domain.errors import ConfigError
from dntui.domain.scope import StateCodeError, normalise_state
from dntui.private_files import write_private_text

APP_NAME = "dntui"

DEFAULT_CONFIG = """\
# dntui settings. Lines starting with # are comments.
# Changes take effect the next time dntui starts.

# Clinic name printed on patient handouts.
clinic_name = ""

# Clinic state (two-letter code, e.g. "VA"): the billing pane checks the signing
# practitioner's profession and recorded training against the state's dry needling
# rules (README, Scope of practice by state). Empty: no state check.
clinic_state = ""

# Database. Empty: SQLite file dntui.db in the data folder.
# Shared clinic database: "postgresql+psycopg://user@host/dntui"
# (the DNTUI_DATABASE_URL environment variable and --db take precedence).
database_url = ""

# Lock the app after this many idle minutes so the next person cannot sign as
# the last (0 = never).
idle_lock_minutes = 0

# Shortest signing PIN accepted when a PIN is set (at least 4). Six digits cost an
# offline attacker who holds the hashes about 100 times more than four (README, Security).
min_pin_length = 6

# Warn on drafts older than this many days: documentation is expected to be
# signed promptly. Late drafts are counted on the start screen and listed first.
late_draft_days = 2

# Mouse support (off by default: lighter over SSH, the app is keyboard-first).
mouse = false

# Printer for patient handouts (lp); empty: the system default printer, if any.
printer = ""

# Needle sizes offered on the muscles step (key g cycles them): edit to your stock.
needles = ["0.16 x 15 mm", "0.25 x 25 mm", "0.25 x 30 mm", "0.25 x 40 mm", "0.30 x 50 mm", "0.30 x 60 mm"]

# Remap keys: binding id = key(s). Ids are listed on the help screen (F1).
[keymap]
# "start.new" = "n"
"""


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The user's data folder (database, drafts). ``DNTUI_DATA_DIR`` overrides."""
    override = _env_path("DNTUI_DATA_DIR")
    if override:
        return override
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The user's config folder (config.toml, fees.toml). ``DNTUI_CONFIG_DIR`` overrides."""
    override = _env_path("DNTUI_CONFIG_DIR")
    if override:
        return override
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700, whatever the umask.

    ``os.makedirs(mode=...)`` is masked by the umask and ignored for a folder that
    already exists, so the mode is set explicitly afterwards.
    """
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it is missing; tighten it if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


DEFAULT_NEEDLES = (
    "0.16 x 15 mm",
    "0.25 x 25 mm",
    "0.25 x 30 mm",
    "0.25 x 40 mm",
    "0.30 x 50 mm",
    "0.30 x 60 mm",
)


@dataclass
class Settings:
    clinic_name: str = ""
    clinic_state: str = ""  # two-letter US state code, "" = not set
    database_url: str = ""
    idle_lock_minutes: int = 0
    mouse: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    needles: list[str] = field(default_factory=lambda: list(DEFAULT_NEEDLES))
    printer: str = ""
    min_pin_length: int = 6
    late_draft_days: int = 2
    path: Path | None = None


_TYPES: dict[str, type | tuple[type, ...]] = {
    "clinic_name": str,
    "clinic_state": str,
    "database_url": str,
    "idle_lock_minutes": int,
    "mouse": bool,
    "keymap": dict,
    "needles": list,
    "printer": str,
    "min_pin_length": int,
    "late_draft_days": int,
}


def load_settings(path: Path | None = None, *, create: bool = True) -> Settings:
    """Read ``config.toml``; write the commented default first if it is missing.

    Raises ``ConfigError`` naming the file and line for bad TOML, or the key for a
    value of the wrong type.
    """
    if path is None:
        path = config_dir() / "config.toml"
    if not path.exists():
        if create:
            try:
                ensure_private_dir(path.parent)
                write_private_text(path, DEFAULT_CONFIG)
            except OSError as exc:
                raise ConfigError(path, f"cannot create the config file: {exc.strerror}") from None
        return Settings(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read: {exc}") from None
    settings = Settings(path=path)
    for key, value in data.items():
        expected = _TYPES.get(key)
        if expected is None:
            raise ConfigError(path, f"unknown setting {key!r}")
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            name = expected.__name__ if isinstance(expected, type) else "value"
            raise ConfigError(path, f"setting {key!r} must be a {name}, not {value!r}")
        setattr(settings, key, value)
    try:
        settings.clinic_state = normalise_state(settings.clinic_state)
    except StateCodeError as exc:
        raise ConfigError(path, f"setting 'clinic_state': {exc}") from None
    if settings.min_pin_length < 4:
        raise ConfigError(path, "setting 'min_pin_length' must be 4 or more")
    if settings.idle_lock_minutes < 0:
        raise ConfigError(path, "setting 'idle_lock_minutes' must be 0 or more")
    if settings.late_draft_days < 0:
        raise ConfigError(path, "setting 'late_draft_days' must be 0 or more")
    if not all(isinstance(n, str) and n.strip() for n in settings.needles):
        raise ConfigError(path, "setting 'needles' must be a list of sizes like \"0.25 x 30 mm\"")
    for binding_id, keys in settings.keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(path, f"keymap entry {binding_id!r} must be a key name string")
    return settings
