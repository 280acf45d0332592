"""Every kind of job, registered on import (``base.kind_of`` imports this package)."""

from sikumuh.jobs.kinds import imports, planning, reports, summaries

__all__ = ["imports", "planning", "reports", "summaries"]
