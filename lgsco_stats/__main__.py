"""``python -m lgsco_stats``."""

from .cli import main

main()
