"""Plaidoyer: the advocacy CRM of a child-protection association."""

__version__ = "0.1.0"
