"""The Excel add-in of tthc: ``ribbon.xml`` (its ribbon), ``xlwings_udfs.bas`` (the VBA of the
worksheet functions, as xlwings' «Import Functions» writes it) and ``tthc.xlam`` (built).

This top-level ``xl/`` folder is installed as the subpackage ``tthc.xl``
(``package-dir`` in ``pyproject.toml``), so the add-in and its ribbon source
travel inside the installed package and ``tthc addin build`` / ``install`` work
after a plain ``pip install`` on a Windows machine.

``tthc.xlam`` is generated, never edited by hand: ``tthc.excel.addin.build_addin``
takes xlwings' own ribbon add-in template, puts ``ribbon.xml`` in as the ribbon,
adds ``xlwings_udfs.bas`` to its VBA project and switches on its config sheet.
It is committed as the shipped artifact; a test checks that it equals a fresh
build, so rebuild it after changing ``ribbon.xml`` or upgrading xlwings.
"""
