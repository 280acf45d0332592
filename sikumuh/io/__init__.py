"""Readers (file → rows), importers (validate all → one commit) and exporters (rows → file)."""
