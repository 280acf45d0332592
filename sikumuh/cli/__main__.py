"""`python -m sikumuh.cli …`: the same as the `sikumuh` command (child processes use it)."""

import sys

from sikumuh.cli import main

sys.exit(main())
