Attribute VB_Name = "tthc_links"
' Keeps the =TTHC_...() cells of a workbook pointing at this add-in.
'
' Excel saves each call of an add-in's function as a link to the add-in's full
' path on the PC that saved the workbook ('C:\Users\A\...\XLSTART\tthc.xlam').
' Opened on a PC where tthc.xlam lives elsewhere, those cells would ask to update
' links and then show #NAME?. On loading, the add-in starts a TthcLinkWatcher
' (class module) that moves every such link of each opened workbook to this
' copy of the add-in, as Edit Links > Change Source would, without marking the
' workbook changed. Links to other files are never touched.
Option Explicit

Private Watcher As TthcLinkWatcher

Public Sub Auto_Open()
    ' Excel runs Auto_Open when it loads the add-in (XLSTART or Add-ins dialog).
    Set Watcher = New TthcLinkWatcher
    Dim Wb As Workbook
    For Each Wb In Application.Workbooks
        RepointAddinLinks Wb
    Next Wb
End Sub

Public Sub RepointAddinLinks(ByVal Wb As Workbook)
    ' Moves Wb's links to another copy of this add-in's file to this copy.
    On Error GoTo Done
    If Wb Is ThisWorkbook Then Exit Sub
    Dim Links As Variant
    Links = Wb.LinkSources(xlExcelLinks)
    If IsEmpty(Links) Then Exit Sub
    Dim WasSaved As Boolean
    WasSaved = Wb.Saved
    Dim i As Long
    For i = LBound(Links) To UBound(Links)
        If IsOtherCopy(CStr(Links(i))) Then ChangeOneLink Wb, CStr(Links(i))
    Next i
    Wb.Saved = WasSaved
Done:
End Sub

Private Function IsOtherCopy(ByVal Source As String) As Boolean
    IsOtherCopy = StrComp(FileNameOf(Source), ThisWorkbook.Name, vbTextCompare) = 0 _
        And StrComp(Source, ThisWorkbook.FullName, vbTextCompare) <> 0
End Function

Private Function FileNameOf(ByVal Path As String) As String
    ' The part after the last separator of Windows, macOS or a URL.
    Dim At As Long, Separator As Variant
    For Each Separator In Array("\", "/", ":")
        If InStrRev(Path, Separator) > At Then At = InStrRev(Path, Separator)
    Next Separator
    FileNameOf = Mid$(Path, At + 1)
End Function

Private Sub ChangeOneLink(ByVal Wb As Workbook, ByVal Source As String)
    ' Excel refuses to change formulas on a protected sheet: the template's
    ' sheets are protected without a password, so lift that protection for the
    ' change and put it back as the template sets it. A sheet protected with a
    ' password stays as it is, and its link is left for Edit Links.
    On Error Resume Next
    Wb.ChangeLink Source, ThisWorkbook.FullName, xlLinkTypeExcelLinks
    If Err.Number = 0 Then Exit Sub
    Err.Clear
    Dim Sheet As Worksheet, Lifted As New Collection
    For Each Sheet In Wb.Worksheets
        If Sheet.ProtectContents Then
            Sheet.Unprotect ""
            If Err.Number = 0 Then Lifted.Add Sheet Else Err.Clear
        End If
    Next Sheet
    Wb.ChangeLink Source, ThisWorkbook.FullName, xlLinkTypeExcelLinks
    Err.Clear
    For Each Sheet In Lifted
        Sheet.Protect DrawingObjects:=True, Contents:=True, Scenarios:=True, _
            AllowFormattingColumns:=True, AllowFormattingRows:=True, _
            AllowSorting:=True, AllowFiltering:=True
    Next Sheet
End Sub
