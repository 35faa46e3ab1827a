"""The pure core.

The grid, its rules, the indicators and the words of the report. No I/O, no Office library.
"""
