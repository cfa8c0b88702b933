"""digest: many outlets' articles in, one deduplicated, summarised brief per period out."""

__version__ = "0.1.0"
