"""Types, schema column names, periods and codes. Imports nothing else of crimeprev."""
