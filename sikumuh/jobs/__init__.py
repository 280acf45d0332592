"""Background jobs: long work (reports, summary rebuilds, imports) run by `sikumuh worker`."""
