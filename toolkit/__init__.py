"""Pipeline Workbook toolkit: notebooks, exercises, migration, doctor and PII tools.

The package never configures logging itself; the command line does. Library users see
nothing unless they attach a handler to the ``toolkit`` logger.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
