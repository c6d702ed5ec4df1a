"""What a self-pay patient pays for a visit: the cash price, its discount, packages.

The seed article suggests "flexible payment plans or discounts for cash
payments" [seed]. The prices are the clinic's, set per payer in ``fees.toml``
(``cash_price``, ``cash_discount_percent``, ``packages``); nothing here is a
price of dntui's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from dntui.domain.fees import FeeSchedule, Package

SOURCE: Final = ("seed",)
_CENT: Final = Decimal("0.01")


@dataclass(frozen=True)
class CashCharge:
    """The price before the discount, the discount and what the patient pays."""

    price: Decimal | None  # None: no cash price and no fee for the code
    discount_percent: Decimal
    pays: Decimal | None
    packages: tuple[Package, ...] = ()
    from_fee: bool = False  # the price is the code's fee (no cash_price set)

    def lines(self) -> list[str]:
        if self.pays is None or self.price is None:
            out = ["Patient pays: no cash price or fee set (fees.toml)"]
        else:
            out = [f"Patient pays: ${self.pays:.2f}"]
            if self.discount_percent:
                out.append(
                    f"  (${self.price:.2f} less {self.discount_percent.normalize():f}% cash discount)"
                )
        out += [f"  or package {p.text()}" for p in self.packages]
        return out


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    """``price`` less ``percent`` percent, to the cent (half up)."""
    return (price * (Decimal(100) - percent) / Decimal(100)).quantize(_CENT, rounding=ROUND_HALF_UP)


def cash_charge(schedule: FeeSchedule, payer_key: str, code: str | None) -> CashCharge | None:
    """The self-pay charge for a visit billed ``code``; None when the payer is not self-pay.

    With no code (nothing needled) and no ``cash_price``, there is nothing to charge.
    """
    payer = schedule.payer(payer_key)
    if not payer.self_pay:
        return None
    if payer.cash_price is not None:
        price: Decimal | None = payer.cash_price
        from_fee = False
    else:
        price = schedule.fee(code, payer.key) if code else None
        from_fee = True
    pays = discounted(price, payer.cash_discount_percent) if price is not None else None
    return CashCharge(
        price=price,
        discount_percent=payer.cash_discount_percent,
        pays=pays,
        packages=payer.packages,
        from_fee=from_fee,
    )
