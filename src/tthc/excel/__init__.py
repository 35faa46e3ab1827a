"""The Excel edge.

Worksheet functions, the ribbon button, range conversion, building and installing the add-in.
"""
