from dntui.widgets.bars import bar, bar_lines


def test_bar_lengths_in_eighths() -> None:
    assert bar(0, 10, 20) == ""
    assert bar(10, 10, 20) == "█" * 20
    assert bar(5, 10, 20) == "█" * 10
    assert bar(1, 10, 10) == "█"  # exactly one cell
    assert bar(1, 80, 10) == "▏"  # one eighth of a cell
    assert bar(1, 1000, 10) == "▏"  # tiny but visible
    assert bar(3, 16, 2) == "▍"  # 3/16 of 2 cells = 3 eighths of a cell
    assert bar(20, 10, 5) == "█" * 5  # clipped at the top


def test_bar_lines_align() -> None:
    lines = bar_lines([("02 Mar", 4, "4"), ("09 Mar", 2, "2"), ("16 Mar", 0, "0")], 20)
    assert [len(line) for line in lines] == [20, 20, 20]
    assert lines[0].startswith("02 Mar " + "█" * 11 + " 4") and lines[0].endswith(" 4")
    assert lines[1] == "02 Mar ".replace("02", "09") + "█" * 5 + "▌" + " " * 5 + " 2"
    assert lines[2] == "16 Mar " + " " * 11 + " 0"
