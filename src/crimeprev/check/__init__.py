"""The report checker: read a performance report and list its arithmetic and consistency errors.

Readers (one per format) turn a DOCX, PDF, HTML, Markdown or plain-text report into one
format-neutral :class:`~crimeprev.check.document.Document`; rules (one per module under
:mod:`crimeprev.check.rules`, registered in :data:`~crimeprev.check.rules.RULES`) read it and
report :class:`~crimeprev.check.findings.Finding` s. :func:`check_document` is pure;
:func:`check_file` reads the file first.
"""

from __future__ import annotations

from crimeprev.check.checker import FileCheck, check_document, check_file
from crimeprev.check.document import Cell, Document, DocumentBuilder, Heading, Location, Paragraph, Table
from crimeprev.check.findings import Finding, Severity
from crimeprev.check.readers import READERS, read_document
from crimeprev.check.rules import RULES, Rule

__all__ = [
    "READERS",
    "RULES",
    "Cell",
    "Document",
    "DocumentBuilder",
    "FileCheck",
    "Finding",
    "Heading",
    "Location",
    "Paragraph",
    "Rule",
    "Severity",
    "Table",
    "check_document",
    "check_file",
    "read_document",
]
