"""Every kind of job, registered on import (``base.kind_of`` imports this package)."""

from sikumuh.jobs.kinds import imports, reports, summaries

__all__ = ["imports", "reports", "summaries"]
