"""The one base of the errors movegraph expects: the CLI prints them as one line and exits non-zero.

A `MovegraphError` is a known failure whose message says what to do: bad input
named by the user, a missing file or model, an unreachable or misconfigured
server. Anything else that escapes (a plain ValueError, KeyError, ...) is a bug
and keeps its traceback. It sits in schema/, the bottom layer, so every layer
can raise it without importing a layer above.
"""

from __future__ import annotations


class MovegraphError(Exception):
    """A known failure: the CLI prints `movegraph: error: MESSAGE` and exits with `exit_code`."""

    exit_code = 1


class InputError(MovegraphError, ValueError):
    """Bad input named by the user: a file's content, an option, a key, an output path (exit code 2).

    Also a ValueError, so code that validated input with ValueError before still catches it.
    """

    exit_code = 2


class InputFileNotFoundError(MovegraphError, FileNotFoundError):
    """A file or folder the user named does not exist (exit code 2)."""

    exit_code = 2
