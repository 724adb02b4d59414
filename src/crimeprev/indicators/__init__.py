"""Indicators: declared definitions evaluated as Ibis expressions on the store's engine.

``expressions`` turns filters and dimensions into Ibis expressions, ``query`` runs the few
aggregate queries an evaluation needs (the only engine work), ``compare`` turns monthly figures
into windows, changes and honest gaps (pure), and ``insights`` puts them together.
"""
