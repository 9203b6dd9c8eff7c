"""The `briefreader` command line: the reader by default, and subcommands for scripts.

Each subcommand lives in `briefreader/commands/<name>.py` with `add_arguments(parser)` and
`run(args) -> int`; modules are imported only when their command runs, so `briefreader parse`
never pays for Textual or Whoosh.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from briefreader import __version__
from briefreader.model import LetterError
from briefreader.sanitise import visible
from briefreader.terminal import error_line

#: subcommand -> one-line help. The module is briefreader.commands.<name>.
COMMANDS: dict[str, str] = {
    "parse": "parse one letter and print the clean document (or --json)",
    "index": "bring the search index of a corpus up to date (--rebuild: from scratch)",
    "search": "search the corpus and print the hits (or --json)",
    "add": "copy letters (.txt, .pdf, .xml) into a corpus",
    "sync": "fetch the letters of dossiers or queries from the official repository into a corpus",
    "list": "list the letters of a corpus, newest first",
    "refs": "what a letter cites, and which letters cite it",
    "show": "print a letter by id (kst-32317-703, 32317-703 or its file name)",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but its error line (which quotes the user's arguments) shows controls visibly."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {visible(message, newlines=False)}\n")


class UsageError(Exception):
    """Bad usage of a command: printed as one line, exit status 2."""


def _command_module(name: str):
    return importlib.import_module(f"briefreader.commands.{name}")


def build_parser(command: str | None) -> argparse.ArgumentParser:
    """The parser for one subcommand, or (command None) for the reader itself."""
    if command is None:
        parser = _Parser(
            prog="briefreader",
            description="Read and search Kamerbrieven in the terminal. Without a subcommand, "
            "opens the reader on the bundled corpus, on a corpus folder or on one letter.",
            epilog="subcommands:\n"
            + "\n".join(f"  {name:<8} {text}" for name, text in COMMANDS.items())
            + "\n\nrun `briefreader COMMAND --help` for a subcommand's options",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("--version", action="version", version=f"briefreader {__version__}")
        command_name = "app"
    else:
        parser = _Parser(prog=f"briefreader {command}", description=COMMANDS[command])
        command_name = command
    _command_module(command_name).add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run briefreader with `argv` (default: the process arguments); returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = args_list[0] if args_list and args_list[0] in COMMANDS else None
    rest = args_list[1:] if command else args_list
    parser = build_parser(command)
    args = parser.parse_args(rest)
    module = _command_module(command or "app")
    from briefreader.corpus import CorpusError

    try:
        return int(module.run(args) or 0)
    except LetterError as error:
        error_line(f"briefreader: {error}")
        return 1
    except (UsageError, CorpusError) as error:
        error_line(f"briefreader: {error}")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `briefreader parse x | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as error:  # noqa: BLE001 - the promise: one line, never a traceback
        if os.environ.get("BRIEFREADER_DEBUG"):
            raise
        error_line(
            f"briefreader: internal error ({error.__class__.__name__}: {error}); "
            "run again with BRIEFREADER_DEBUG=1 for the details"
        )
        return 1
