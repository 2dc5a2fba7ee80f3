"""Seeded fuzz of every input surface: bad files, bad arguments, broken data directories."""
