"""The worksheet functions under the module name the add-in's VBA calls: `tthc.udfs`.

Every `Py.CallUDF("tthc.udfs", …)` in an installed add-in names this module, so it stays
here for good; the functions themselves live in tthc.excel.functions.
"""

from tthc.excel.functions import *  # noqa: F403  (xlwings finds the functions by attribute)
from tthc.excel.functions import __all__  # noqa: F401
