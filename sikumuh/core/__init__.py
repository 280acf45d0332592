"""Pure domain core of sikumuh: slum criteria, scoring, aggregation, reduction and handling.

Everything here follows Permen PUPR No. 14/PRT/M/2018 (and, for legacy data, Permen PUPR
No. 02/PRT/M/2016) and the practice of the KOTAKU programme data. The package imports only the
standard library and NumPy: no Django, no other sikumuh package, so it can be tested, benchmarked
and reused (forms, importers, reports, API) without a database.
"""
