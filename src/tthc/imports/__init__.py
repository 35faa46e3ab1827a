"""Readers of foreign files: Biểu 06 form tables and dossier lists exported by one-stop systems."""
