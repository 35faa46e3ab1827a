"""Infrastructure the edges share.

Atomic writes, LibreOffice, OS messages, the untrusted-file guard, xlsx parts.
"""
