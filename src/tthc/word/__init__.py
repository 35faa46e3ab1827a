"""The Word edge: the report document per Nghị định 30/2020 and its editable template."""
