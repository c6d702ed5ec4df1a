"""What a package index, a new user and CI read: README opening, metadata, .ci/run."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
README = (ROOT / "README.md").read_text()
CI_RUN = (ROOT / ".ci" / "run").read_text()


def readme_commands() -> list[str]:
    block = re.match(r"```sh\n(.*?)\n```", README, re.S)
    assert block, "README must open with the two commands"
    return block[1].splitlines()


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second_verbatim() -> None:
    first, second = readme_commands()
    assert first.endswith(".venv/bin/dntui --demo")
    assert second.endswith(".venv/bin/python -m pytest -q")
    marker = "# The README's test command, verbatim:\n"
    assert marker in CI_RUN
    assert CI_RUN.split(marker, 1)[1].splitlines()[0] == second


def test_install_section_comes_right_after_the_opening_commands() -> None:
    prose = re.sub(r"^```.*?^```", "", README, flags=re.S | re.M)
    headings = re.findall(r"^#{1,2} .+$", prose, re.M)
    assert headings[:2] == ["## Install", "# dntui"]
    install = README.split("## Install", 1)[1].split("# dntui", 1)[0]
    for needed in (
        "uv tool install --compile-bytecode",
        "pipx install",
        "[postgres]",
        "uninstall",
        "dntui paths",
    ):
        assert needed in install, needed


def test_every_supported_python_is_declared_and_run_by_ci() -> None:
    ci = re.search(r"SUPPORTED_PYTHONS=\(([^)]*)\)", CI_RUN)
    assert ci, ".ci/run names the supported Pythons"
    versions = ci[1].split()
    assert versions == ["3.11", "3.12", "3.13"]
    project = PYPROJECT["project"]
    assert project["requires-python"] == f">={versions[0]},<3.{int(versions[-1][2:]) + 1}"
    for v in versions:
        assert f"Programming Language :: Python :: {v}" in project["classifiers"]


def test_metadata_fit_for_a_package_index() -> None:
    project = PYPROJECT["project"]
    build = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77 for r in build)
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert project["keywords"] and len(project["classifiers"]) >= 8
    extras = project["optional-dependencies"]
    for linter in ("ruff", "import-linter"):  # `ruff check`, `lint-imports`
        assert not any(r.startswith(linter) for r in extras["test"]), f"{linter} is a linter"
        assert any(r.startswith(linter) for r in extras["lint"]), f"{linter} not in lint"
    assert any(r.startswith("textual-serve") for r in extras["web"])


def test_index_description_has_no_links_into_the_repository() -> None:
    readme = PYPROJECT["project"]["readme"]
    text = (ROOT / readme["file"]).read_text()
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert all(re.match(r"https://", link) for link in links), links
    assert "<img" not in text
    # No repository link to follow from the index: the manual is named as a file that ships.
    manual = re.search(r"full manual.*?is (`?[\w.]+`?)", text, re.S)
    assert manual and manual[1].strip("`") == "README.md", manual
    assert "prune README.md" not in (ROOT / "MANIFEST.in").read_text()


def test_sdist_carries_no_part_of_the_test_suite() -> None:
    manifest = (ROOT / "MANIFEST.in").read_text().splitlines()
    assert "prune tests" in manifest
    assert "tar tzf" in CI_RUN and "twine check --strict" in CI_RUN


def ci_function(name: str) -> str:
    found = re.search(rf"^{name}\(\) \{{.*?^\}}$", CI_RUN, re.S | re.M)
    assert found, f".ci/run defines {name}()"
    return found[0]


def test_ci_fails_an_install_that_left_modules_without_bytecode(tmp_path: Path) -> None:
    """uv skips compiling bytecode unless asked: every start of a read-only install is
    then about three times slower. .ci/run checks both installs compiled dntui."""
    import subprocess

    check = ci_function("bytecode_missing")
    assert 'bytecode_missing "$home"' in CI_RUN

    def tree(home: Path, tool: str, compiled: bool) -> None:
        pkg = home / ".local/share" / tool / "dntui/lib/python3.12/site-packages/dntui"
        (pkg / "store").mkdir(parents=True)
        for mod in (pkg / "__init__.py", pkg / "cli.py", pkg / "store" / "repo.py"):
            mod.write_text("")
            if compiled or mod.name != "repo.py":
                (mod.parent / "__pycache__").mkdir(exist_ok=True)
                (mod.parent / "__pycache__" / f"{mod.stem}.cpython-312.pyc").write_bytes(b"")

    def missing(home: Path) -> str:
        script = f'{check}\nbytecode_missing "$1"\n'
        proc = subprocess.run(
            ["bash", "-c", script, "check", str(home)], capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    tree(tmp_path / "uv", "uv/tools", compiled=True)
    tree(tmp_path / "pipx", "pipx/venvs", compiled=False)
    assert missing(tmp_path / "uv") == ""
    assert missing(tmp_path / "pipx").splitlines() == [
        str(
            tmp_path
            / "pipx/.local/share/pipx/venvs/dntui/lib/python3.12/site-packages/dntui/store/repo.py"
        )
    ]
    assert "no dntui package" in missing(tmp_path / "nothing")
