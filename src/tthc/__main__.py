"""`python -m tthc` runs the command line."""

import sys

from tthc.cli.commands import main

sys.exit(main())
