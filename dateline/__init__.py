"""Dateline: the newsroom's back office and the public, multilingual news site."""

__version__ = "0.1.0"
