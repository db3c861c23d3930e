"""Entry point of `python -m fupin`."""

import sys

from .cli.main import main

sys.exit(main())
