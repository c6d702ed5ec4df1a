from datetime import date

from dntui.domain.periods import Period


def test_week_month_quarter_and_shift() -> None:
    w = Period.containing("week", date(2026, 3, 1))  # a Sunday
    assert (w.start, w.end) == (date(2026, 2, 23), date(2026, 3, 1))
    assert w.shift(1).start == date(2026, 3, 2)
    assert w.shift(-1).end == date(2026, 2, 22)
    m = Period.containing("month", date(2024, 2, 10))
    assert (m.start, m.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert m.shift(-2) == Period("month", date(2023, 12, 1), date(2023, 12, 31))
    assert m.shift(11).start == date(2025, 1, 1)
    q = Period.containing("quarter", date(2026, 11, 30))
    assert (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q.shift(1) == Period("quarter", date(2027, 1, 1), date(2027, 3, 31))
    assert q.shift(-4).start == date(2025, 10, 1)
    assert q.label == "Q4 2026 (Oct-Dec)"
    assert [d.day for d in m.weeks()] == [29, 5, 12, 19, 26]
