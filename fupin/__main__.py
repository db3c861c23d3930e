"""Entry point of `python -m fupin`."""

import sys

from .cli import main

sys.exit(main())
