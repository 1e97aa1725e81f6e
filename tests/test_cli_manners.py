"""CLI manners: every subcommand and argument explains itself, `--version` works, usage errors are one line."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version

from movegraph.cli import build_parser


def movegraph(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script's module in a subprocess (no server needed for these)."""
    return subprocess.run([sys.executable, "-m", "movegraph.cli", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def walk(parser: argparse.ArgumentParser, path: str = "movegraph") -> Iterator[tuple[str, str, str | None]]:
    """(command path, argument or subcommand name, its help) for every action of the parser and its subparsers."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                yield path, f"subcommand {name}", helps.get(name)
                yield from walk(subparser, f"{path} {name}")
        else:
            yield path, "/".join(action.option_strings) or action.dest, action.help


def test_every_subcommand_and_argument_has_help() -> None:
    found = list(walk(build_parser()))
    missing = [f"{path}: {name}" for path, name, text in found
               if not text or not text.strip() or text == argparse.SUPPRESS]
    assert not missing, "without help text: " + ", ".join(missing)
    names = {name for _, name, _ in found}
    assert {"subcommand claims", "subcommand export", "subcommand run", "--version"} <= names


def test_run_help_explains_articles() -> None:
    done = movegraph("run", "--help")
    assert done.returncode == 0
    articles = next(line for line in done.stdout.splitlines() if line.strip().startswith("articles"))
    assert len(articles.split()) > 1, done.stdout


def test_version_prints_the_installed_version() -> None:
    done = movegraph("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"movegraph {version('movegraph')}"


def test_usage_errors_are_one_line_with_exit_2() -> None:
    for args, named in ((["bogus"], "'bogus'"), (["claims", "--since", "13/01/2024"], "'13/01/2024'"),
                        (["export"], "output"), (["extract", "a.jsonl"], "--output"),
                        (["score", "--gold", "g.jsonl"], "--pred")):
        done = movegraph(*args)
        assert done.returncode == 2, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("movegraph") and ": error: " in lines[0], done.stderr
        assert named in lines[0], lines[0]


BUG_OR_KNOWN = """
import sys
from movegraph import cli
from movegraph.schema import InputError, MovegraphError

kind = sys.argv[1]

def failing(args, settings):
    if kind == "bug":
        raise KeyError("a bug's key")  # a programming error: its traceback must show
    if kind == "bug-value":
        raise ValueError("a bug's value")  # a plain ValueError is a bug too, not a usage error
    if kind == "input":
        raise InputError("bad input named by the user")
    raise MovegraphError("a known failure")

cli.cmd_extractors = failing
sys.exit(cli.main(["extractors"]))
"""


def _fail(kind: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BUG_OR_KNOWN, kind], capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_bug_keeps_its_traceback_a_movegraph_error_is_one_line() -> None:
    for kind, raised in (("bug", "KeyError: \"a bug's key\""), ("bug-value", "ValueError: a bug's value")):
        done = _fail(kind)
        assert done.returncode == 1, (kind, done.stderr)
        assert "Traceback (most recent call last)" in done.stderr and raised in done.stderr, done.stderr
        assert "movegraph: error:" not in done.stderr

    for kind, code, message in (("known", 1, "a known failure"), ("input", 2, "bad input named by the user")):
        done = _fail(kind)
        assert done.returncode == code, (kind, done.stderr)
        assert done.stderr.strip().splitlines() == [f"movegraph: error: {message}"], done.stderr
