"""The scrutiny report: one format-neutral document, rendered to DOCX, HTML and PDF.

``build`` assembles the :mod:`document` from indicator results, the strategy, the report
metadata and the delivery plan (pure); ``charts`` declares one Vega-Lite spec per chart; the
``render_*`` modules each turn the same document into one format.
"""
