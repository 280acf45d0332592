"""sikumuh: Sistem Informasi Penanganan Permukiman Kumuh."""

__version__ = "0.1.0"
