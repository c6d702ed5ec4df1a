"""The clinic's own files in the config folder: the fee schedule and the consent text.

The domain parses (``domain.fees.parse_fee_schedule``, ``domain.consent``); this
module, a layer above it, reads and writes the files. A missing file gets the
packaged default, written owner-only (it may hold contract fees) and never over
a file another process wrote meanwhile.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dntui.domain.consent import CONSENT_TEXT, CONSENT_VERSION, consent_version
from dntui.domain.errors import ConfigError
from dntui.domain.fees import DEFAULT_FILE_NAME, PACKAGED_NAME, FeeSchedule, parse_fee_schedule

CONSENT_FILE = "consent.txt"


def default_fees_text() -> str:
    """The packaged, commented default fee schedule."""
    return resources.files("dntui.domain").joinpath(PACKAGED_NAME).read_text(encoding="utf-8")


def load_fee_schedule(path: Path | None = None) -> FeeSchedule:
    """Read a fee schedule; ``None`` reads the packaged default. Raises ConfigError."""
    if path is None:
        return parse_fee_schedule(default_fees_text(), Path(PACKAGED_NAME))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read: {exc}") from None
    return parse_fee_schedule(text, path, path)


def ensure_default_file(config_dir: Path) -> Path:
    """Write the default schedule to ``config_dir/fees.toml`` if missing; return its path.

    The file is created with mode 0600 whatever the umask (it may hold contract
    fees); an existing file is left as it is.
    """
    from dntui.config import ensure_private_dir
    from dntui.private_files import write_private_text

    target = config_dir / DEFAULT_FILE_NAME
    if target.exists():
        return target
    try:
        if not config_dir.exists():
            ensure_private_dir(config_dir)
        write_private_text(target, default_fees_text(), replace=False)
    except OSError as exc:
        raise ConfigError(target, f"cannot create the fee schedule: {exc.strerror}") from None
    return target


def load_consent(config_dir: Path | None) -> tuple[str, str]:
    """The clinic's consent text (``consent.txt`` in the config folder) and its version.

    The default is written there on first use so the clinic can edit it; an edited
    text gets a new version, so every record says which wording was agreed to.
    """
    if config_dir is None:
        return CONSENT_TEXT, CONSENT_VERSION
    path = config_dir / CONSENT_FILE
    if not path.exists():
        from dntui.config import ensure_private_dir
        from dntui.private_files import write_private_text

        try:
            ensure_private_dir(config_dir)
            write_private_text(path, CONSENT_TEXT + "\n")
        except OSError:
            return CONSENT_TEXT, CONSENT_VERSION
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read: {exc}") from None
    if not text:
        raise ConfigError(path, "is empty: write the clinic's consent text or delete the file")
    return text, consent_version(text)
