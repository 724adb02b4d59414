"""People: repeat victims, offenders and locations, near repeats, and the perpetrator cohort.

Everything here works on pseudonyms (keyed hashes made on ingest): raw identifiers never reach
the store, so they cannot reach these analyses either. ``records`` reads the person columns of an
indicator's records from the store; the other modules are pure computation on what it returns.
"""
