"""Command line: python -m planwatch <command> (see README)."""
from planwatch.cli import main

raise SystemExit(main())
