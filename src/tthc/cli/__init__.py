"""The command line `tthc`: argument parsing and messages; the work itself lives in tthc.app."""

from tthc.cli.commands import main

__all__ = ["main"]
