"""Fee schedule and payer settings, parsed from a user-editable TOML text.

Fees and payer rules are data, not code: the packaged ``default_fees.toml`` names
the source of each default (the domain notes (docs/sources.md) section 1) and is copied to the
user's config folder as ``fees.toml`` for the clinic to edit. Money is ``Decimal``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from dntui.domain.errors import ConfigError
from dntui.domain.sources import SOURCES

DEFAULT_FILE_NAME: Final = "fees.toml"
PACKAGED_NAME: Final = "default_fees.toml"  # beside this module; read by dntui.clinic_files

#: ABN modifiers a payer may name; "none" means no modifier is added.
#: GX per WebPT 2025 [10]; GA and GY are the other common choices (a setting).
ABN_MODIFIERS: Final = ("GA", "GX", "GY")
#: Default Medicare modifiers by the reason Medicare will not pay [fcso-abn]:
#: condition not covered (not reasonable and necessary): mandatory ABN, GA;
#: service or provider type excluded: GY, plus GX when a voluntary ABN was given.
DEFAULT_CONDITION_ABN_MODIFIER: Final = "GA"
DEFAULT_EXCLUDED_MODIFIER: Final = "GY"
#: Chronic low back pain codes NCD 30.3.3 claims carry (M54.5 was split in Oct 2021)
#: [ncd][18]; a payer setting may replace them.
DEFAULT_CLBP_CODES: Final = ("M54.50", "M54.51", "M54.59")
#: NCD 30.3.3: chronic means lasting 12 weeks or longer [ncd][ncd-memo].
DEFAULT_CLBP_MIN_WEEKS: Final = 12
#: Modifier 50 (bilateral) is never used with 20560/20561 [5b].
FORBIDDEN_MODIFIERS: Final = {"50": ("5b",)}
WARNING_LEVELS: Final = ("info", "warn", "stop")

_CODE_RE = re.compile(r"^[0-9]{4}[0-9A-Z]$")
_MODIFIER_RE = re.compile(r"^[0-9A-Z]{2}$")
_EMPTY_FEES: Mapping[str, Decimal] = MappingProxyType({})


@dataclass(frozen=True)
class Package:
    """A prepaid set of visits for a self-pay patient, e.g. 5 visits for $400 [seed]."""

    visits: int
    price: Decimal
    name: str = ""

    @property
    def per_visit(self) -> Decimal:
        return (self.price / self.visits).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def text(self) -> str:
        label = f"{self.name}: " if self.name else ""
        return f"{label}{self.visits} visits ${self.price:.2f} (${self.per_visit:.2f} a visit)"


@dataclass(frozen=True)
class PayerRule:
    """One payer's billing settings. Defaults are the generic (commercial) rules."""

    key: str
    name: str
    medicare: bool = False
    #: False: a physical therapist's dry needling is not covered [7][8]. None: unknown.
    covers_pt_dry_needling: bool | None = None
    modifiers: tuple[str, ...] = ()
    #: Medicare: added with a *voluntary* ABN on an excluded service (default GX
    #: [10][fcso-abn]); other payers: added when an ABN is on file. None: no modifier.
    abn_modifier: str | None = None
    #: Medicare: modifier for an excluded service or provider type (GY) [fcso-abn].
    excluded_modifier: str | None = DEFAULT_EXCLUDED_MODIFIER
    #: Medicare: modifier with the mandatory ABN when the condition is not covered (GA).
    condition_abn_modifier: str | None = DEFAULT_CONDITION_ABN_MODIFIER
    #: Medicare: diagnosis codes that make the condition chronic low back pain [ncd].
    clbp_codes: tuple[str, ...] = DEFAULT_CLBP_CODES
    clbp_min_weeks: int = DEFAULT_CLBP_MIN_WEEKS
    #: Which year the yearly visit limit counts: "calendar" (from January 1, the
    #: default) or "rolling" (365 days ending on the visit); NCD 30.3.3 says "annually".
    visit_year: str = "calendar"
    #: Left and right of one muscle count as two [2][3] (setting; default on).
    count_sides_separately: bool = True
    visits_per_90_days: int | None = None
    visits_per_year: int | None = None
    visit_limit_note: str = ""
    kx_after_sessions: int | None = None
    warning: str = ""
    warning_level: str = "warn"
    source: tuple[str, ...] = ()
    fees: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY_FEES)
    #: The patient pays: no coverage check is asked for; the pane shows the cash
    #: charge. Default: true for the payer keyed "self-pay", else false.
    self_pay: bool = False
    #: Self-pay: one price per visit whatever the code; None: the fee for the code.
    cash_price: Decimal | None = None
    #: Self-pay: percent off for paying cash ("discounts for cash payments" [seed]).
    cash_discount_percent: Decimal = Decimal(0)
    #: Self-pay: prepaid sets of visits.
    packages: tuple[Package, ...] = ()
    #: False for the generic stand-in returned for a payer key not in the schedule.
    known: bool = True


def generic_payer(key: str) -> PayerRule:
    """The stand-in for a payer key that is not in the fee schedule."""
    return PayerRule(
        key=key,
        name=f"Unknown payer {key!r} (generic rules)" if key else "No payer (generic rules)",
        known=False,
    )


@dataclass(frozen=True)
class FeeSchedule:
    fees: Mapping[str, Decimal]
    payers: Mapping[str, PayerRule]
    path: Path | None = None  # None: the packaged default

    def payer(self, key: str) -> PayerRule:
        """The payer's rules, or a clearly named generic payer if ``key`` is unknown."""
        rule = self.payers.get(key)
        return rule if rule is not None else generic_payer(key)

    def fee(self, code: str, payer_key: str) -> Decimal | None:
        """The payer's own fee for ``code``, else the default fee, else None."""
        rule = self.payers.get(payer_key)
        if rule is not None and code in rule.fees:
            return rule.fees[code]
        return self.fees.get(code)


# --------------------------------------------------------------------- reading
def parse_fee_schedule(text: str, where: Path, path: Path | None = None) -> FeeSchedule:
    """A fee schedule from TOML text (no file I/O: ``dntui.clinic_files`` reads the files).

    ``where`` names the source in errors; ``path`` is the user's file (None for the
    packaged default). Raises ``ConfigError`` naming the file and line for bad TOML,
    or the file and key for a value of the wrong type.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)".
        raise ConfigError(where, f"is not valid TOML: {exc}") from None
    return _parse(data, where, path)


# --------------------------------------------------------------------- parsing
_PAYER_KEYS: Final = {
    "name",
    "medicare",
    "covers_pt_dry_needling",
    "modifiers",
    "abn_modifier",
    "excluded_modifier",
    "condition_abn_modifier",
    "clbp_codes",
    "clbp_min_weeks",
    "visit_year",
    "count_sides_separately",
    "visits_per_90_days",
    "visits_per_year",
    "visit_limit_note",
    "kx_after_sessions",
    "warning",
    "warning_level",
    "source",
    "fees",
    "self_pay",
    "cash_price",
    "cash_discount_percent",
    "packages",
}


def _parse(data: dict[str, Any], where: Path, path: Path | None) -> FeeSchedule:
    for key in data:
        if key not in ("fees", "payers"):
            raise ConfigError(where, f"unknown key {key!r} (expected [fees] and [payers.<key>])")
    fees = _parse_fees(data.get("fees", {}), where, "fees")
    raw_payers = data.get("payers", {})
    if not isinstance(raw_payers, dict):
        raise ConfigError(where, "'payers' must be a table of [payers.<key>] tables")
    payers: dict[str, PayerRule] = {}
    for key, table in raw_payers.items():
        payers[key] = _parse_payer(key, table, where)
    return FeeSchedule(fees=fees, payers=MappingProxyType(payers), path=path)


def _parse_fees(table: object, where: Path, dotted: str) -> Mapping[str, Decimal]:
    if not isinstance(table, dict):
        raise ConfigError(where, f"{dotted!r} must be a table of code = fee")
    fees: dict[str, Decimal] = {}
    for code, value in table.items():
        if not _CODE_RE.match(code):
            raise ConfigError(where, f"'{dotted}.{code}': {code!r} is not a CPT code")
        fees[code] = _money(value, where, f"{dotted}.{code}")
    return MappingProxyType(fees)


def _money(value: object, where: Path, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(where, f"fee {key!r} must be a number, not {value!r}")
    try:
        # str() first: 25.74 as a float must become Decimal("25.74"), not 25.7399...
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ConfigError(where, f"fee {key!r} must be a number, not {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ConfigError(where, f"fee {key!r} must be 0 or more, not {value!r}")
    return amount


def _parse_payer(key: str, table: object, where: Path) -> PayerRule:
    base = f"payers.{key}"
    if not isinstance(table, dict):
        raise ConfigError(where, f"{base!r} must be a table")
    for name in table:
        if name not in _PAYER_KEYS:
            raise ConfigError(where, f"unknown setting '{base}.{name}'")

    def get(name: str, kind: type, default: Any) -> Any:
        value = table.get(name, default)
        if value is default:
            return value
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise ConfigError(
                where, f"setting '{base}.{name}' must be a {kind.__name__}, not {value!r}"
            )
        return value

    def str_list(name: str) -> tuple[str, ...]:
        value = get(name, list, [])
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(where, f"setting '{base}.{name}' must be a list of strings")
        return tuple(v.strip() for v in value)

    def count(name: str) -> int | None:
        value = get(name, int, None)
        if value is not None and value < 1:
            raise ConfigError(where, f"setting '{base}.{name}' must be 1 or more")
        return value

    name = get("name", str, "").strip()
    if not name:
        raise ConfigError(where, f"setting '{base}.name' is missing")

    modifiers = tuple(m.upper() for m in str_list("modifiers"))
    for mod in modifiers:
        if mod in FORBIDDEN_MODIFIERS:
            raise ConfigError(
                where,
                f"setting '{base}.modifiers': modifier {mod} is never used with 20560/20561",
            )
        if not _MODIFIER_RE.match(mod):
            raise ConfigError(where, f"setting '{base}.modifiers': {mod!r} is not a modifier")

    abn_raw = get("abn_modifier", str, "none").strip().upper()
    if abn_raw not in (*ABN_MODIFIERS, "NONE", ""):
        raise ConfigError(
            where,
            f"setting '{base}.abn_modifier' must be one of GA, GX, GY or none, not {abn_raw!r}",
        )
    abn = abn_raw if abn_raw in ABN_MODIFIERS else None

    def modifier_choice(name: str, default: str, allowed: tuple[str, ...]) -> str | None:
        raw = get(name, str, default).strip().upper()
        if raw not in (*allowed, "NONE", ""):
            choices = ", ".join(allowed)
            raise ConfigError(
                where, f"setting '{base}.{name}' must be one of {choices} or none, not {raw!r}"
            )
        return raw if raw in allowed else None

    excluded = modifier_choice("excluded_modifier", DEFAULT_EXCLUDED_MODIFIER, ("GY",))
    condition = modifier_choice("condition_abn_modifier", DEFAULT_CONDITION_ABN_MODIFIER, ("GA",))
    clbp = tuple(c.upper() for c in str_list("clbp_codes")) or DEFAULT_CLBP_CODES
    weeks = count("clbp_min_weeks") or DEFAULT_CLBP_MIN_WEEKS
    visit_year = get("visit_year", str, "calendar").strip().lower()
    if visit_year not in ("calendar", "rolling"):
        raise ConfigError(
            where, f"setting '{base}.visit_year' must be calendar or rolling, not {visit_year!r}"
        )

    level = get("warning_level", str, "warn").strip().lower()
    if level not in WARNING_LEVELS:
        raise ConfigError(
            where, f"setting '{base}.warning_level' must be info, warn or stop, not {level!r}"
        )

    source = str_list("source")
    for src in source:
        if src not in SOURCES:
            raise ConfigError(
                where, f"setting '{base}.source': {src!r} is not a key of dntui.domain.sources"
            )

    cash_price = None
    if "cash_price" in table:
        cash_price = _money(table["cash_price"], where, f"{base}.cash_price")
    discount = Decimal(0)
    if "cash_discount_percent" in table:
        discount = _money(table["cash_discount_percent"], where, f"{base}.cash_discount_percent")
        if discount > 100:
            raise ConfigError(
                where, f"setting '{base}.cash_discount_percent' must be 0 to 100, not {discount}"
            )
    packages = _parse_packages(table.get("packages", []), where, base)

    return PayerRule(
        key=key,
        name=name,
        self_pay=get("self_pay", bool, key == "self-pay"),
        cash_price=cash_price,
        cash_discount_percent=discount,
        packages=packages,
        medicare=get("medicare", bool, False),
        covers_pt_dry_needling=get("covers_pt_dry_needling", bool, None),
        modifiers=modifiers,
        abn_modifier=abn,
        excluded_modifier=excluded,
        condition_abn_modifier=condition,
        clbp_codes=clbp,
        clbp_min_weeks=weeks,
        visit_year=visit_year,
        count_sides_separately=get("count_sides_separately", bool, True),
        visits_per_90_days=count("visits_per_90_days"),
        visits_per_year=count("visits_per_year"),
        visit_limit_note=get("visit_limit_note", str, "").strip(),
        kx_after_sessions=count("kx_after_sessions"),
        warning=get("warning", str, "").strip(),
        warning_level=level,
        source=source,
        fees=_parse_fees(table.get("fees", {}), where, f"{base}.fees"),
    )


def _parse_packages(value: object, where: Path, base: str) -> tuple[Package, ...]:
    """``packages = [{ visits = 5, price = 400, name = "5-pack" }, ...]``."""
    dotted = f"{base}.packages"
    if not isinstance(value, list):
        raise ConfigError(where, f"setting '{dotted}' must be a list of {{ visits, price }} tables")
    out = []
    for n, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) - {"visits", "price", "name"}:
            raise ConfigError(
                where, f"setting '{dotted}' item {n} must be {{ visits = 5, price = 400 }}"
            )
        visits = item.get("visits")
        if isinstance(visits, bool) or not isinstance(visits, int) or not 1 <= visits <= 100:
            raise ConfigError(
                where, f"setting '{dotted}' item {n}: visits must be a whole number 1 to 100"
            )
        if "price" not in item:
            raise ConfigError(where, f"setting '{dotted}' item {n}: price is missing")
        price = _money(item["price"], where, f"{dotted}[{n}].price")
        name = item.get("name", "")
        if not isinstance(name, str):
            raise ConfigError(where, f"setting '{dotted}' item {n}: name must be a string")
        out.append(Package(visits=visits, price=price, name=name.strip()))
    return tuple(out)
