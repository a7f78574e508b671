"""Database-free extraction of directives, projects and figures from speeches and work reports.

No Django imports here: this package is used by the CLI, by tests and by the web app alike.
"""

from .api import extract_file, extract_text
from .errors import ExtractionError

__all__ = ["extract_text", "extract_file", "ExtractionError"]
