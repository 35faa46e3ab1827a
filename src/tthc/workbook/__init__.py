"""The workbook edge.

The names contract, the template, the output workbook, and the readers of a filled workbook.
"""
