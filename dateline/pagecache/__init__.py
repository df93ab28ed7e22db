"""The page cache: whole pages for anonymous readers, answered in front of Django and purged
when what they show changes. See docs/operations.md ("The page cache")."""
