"""Find and remove PII in tables, logs and notebooks with Microsoft Presidio.

``scanner`` judges table columns and text lines, ``validators`` decides which
Presidio matches are real, ``redact`` makes shape-only previews, ``anonymize``
writes pseudonymized copies, ``engine`` chooses the spaCy model and builds the
analyzers once per process, and ``synthetic`` makes labelled data to measure all
of it against.
"""
