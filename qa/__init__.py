"""Source-grounded question answering: verbatim, cited quotes from your articles."""

__version__ = "0.1.0"
