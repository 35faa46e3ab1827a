' xlwings 0.37.8: what "Import Functions" writes for tthc.udfs into tthc.xlam.
' Snapshot made by tests/excel/test_udf_vba.py. The VBA module (VBComponents.Import)
' is xl/xlwings_udfs.bas, built into the add-in and checked by the same test.
' --- Application.MacroOptions: the Function Wizard's help texts ---
' 'tthc.xlam'!TTHC_CHECK
'     Description: Các lỗi, cảnh báo của phụ lục, mỗi dòng một ô; «OK» khi không có gì.
'     Category: TTHC
'     grid: Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID).
'     catalogue: Danh mục (TTHC_CATALOGUE); bỏ trống thì dùng cột phòng của phụ lục.
' 'tthc.xlam'!TTHC_NUMBER
'     Description: Một số viết theo cách Việt Nam: «1.132», «02», «99,38%».
'     Category: TTHC
'     value: Số hồ sơ hoặc tỷ lệ (0,9938 là 99,38%).
'     kind: «count» (mặc định, 02), «integer» (1.132) hoặc «rate» (99,38%).
' 'tthc.xlam'!TTHC_PART
'     Description: Tử số hoặc mẫu số của một chỉ tiêu, để bảng tổng hợp ghi «1.018/1.018».
'     Category: TTHC
'     indicator: Mã chỉ tiêu: "1.1" … "1.6", "2.1", "2.2".
'     part: «numerator» (tử số) hoặc «denominator» (mẫu số).
'     grid: Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID).
'     extras: Vùng số liệu chỉ tiêu 1.2–1.6 (TTHC_EXTRAS); bỏ trống nếu không cần.
'     scope: Phòng chuyên môn hoặc lĩnh vực; bỏ trống hoặc «Toàn xã» cho toàn đơn vị.
'     settings: Thiết lập (TTHC_SETTINGS) hoặc chữ «Theo mẫu»/«Theo QĐ 766»; mặc định theo mẫu.
' 'tthc.xlam'!TTHC_RATE
'     Description: Tỷ lệ của một chỉ tiêu (định dạng ô là %), cho toàn đơn vị, một phòng hoặc một lĩnh vực.
'     Category: TTHC
'     indicator: Mã chỉ tiêu: "1.1" … "1.6", "2.1", "2.2".
'     grid: Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID).
'     extras: Vùng số liệu chỉ tiêu 1.2–1.6 (TTHC_EXTRAS); bỏ trống nếu không cần.
'     scope: Phòng chuyên môn hoặc lĩnh vực; bỏ trống hoặc «Toàn xã» cho toàn đơn vị.
'     settings: Thiết lập (TTHC_SETTINGS) hoặc chữ «Theo mẫu»/«Theo QĐ 766»; mặc định theo mẫu.
' 'tthc.xlam'!TTHC_TEXT
'     Description: Một mục của báo cáo, mỗi đoạn một ô (đoạn dài được cắt dưới 255 ký tự).
'     Category: TTHC
'     section: Mục: «1», «1.1» … «2.2», «3»; bỏ trống cho cả mục 1, 2 và 3.
'     grid: Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID).
'     extras: Vùng số liệu chỉ tiêu 1.2–1.6 (TTHC_EXTRAS); bỏ trống nếu không cần.
'     targets: Bảng chỉ tiêu giao (TTHC_TARGETS).
'     settings: Thiết lập (TTHC_SETTINGS) hoặc chữ «Theo mẫu»/«Theo QĐ 766»; mặc định theo mẫu.
'     kind: Loại đơn vị: xã, phường hoặc đặc khu (TTHC_UNIT_KIND).
'     shortcomings: Các đoạn «Tồn tại, hạn chế» (TTHC_SHORTCOMINGS), cho mục 3.
' 'tthc.xlam'!TTHC_VERDICT
'     Description: «Đạt» / «Không đạt» so với chỉ tiêu giao; để trống khi không có chỉ tiêu hoặc tỷ lệ.
'     Category: TTHC
'     indicator: Mã chỉ tiêu: "1.1" … "1.6", "2.1", "2.2".
'     grid: Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID).
'     extras: Vùng số liệu chỉ tiêu 1.2–1.6 (TTHC_EXTRAS); bỏ trống nếu không cần.
'     scope: Phòng chuyên môn hoặc lĩnh vực; bỏ trống hoặc «Toàn xã» cho toàn đơn vị.
'     targets: Bảng chỉ tiêu giao (TTHC_TARGETS).
'     settings: Thiết lập (TTHC_SETTINGS) hoặc chữ «Theo mẫu»/«Theo QĐ 766»; mặc định theo mẫu.
