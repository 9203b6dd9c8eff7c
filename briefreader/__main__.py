"""`python -m briefreader` is the `briefreader` command."""

from briefreader.cli import main

raise SystemExit(main())
