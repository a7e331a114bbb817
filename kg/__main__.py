"""``python -m kg``: same as the ``kg`` console script."""
import sys

from .cli import main

sys.exit(main())
