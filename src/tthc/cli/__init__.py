"""The command line `tthc`: argument parsing and messages; the work itself lives in tthc.app.

`main` imports the commands on call, so that importing the package stays light.
"""


def main() -> int:
    from tthc.cli.commands import main as run_main

    return run_main()


__all__ = ["main"]
