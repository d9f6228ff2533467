"""Real-looking ledgers for the tests, written by the libraries a clerk's software would produce.

Each builder takes a list of rows (lists of cell values, written from A1) and optional merged ranges
``(first_row, first_col, last_row, last_col)`` (0-based), and returns the file's bytes.
"""

import datetime
import io

import xlsxwriter


def xlsx(rows, merges=(), percent_cells=()):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("台账")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    percent_format = workbook.add_format({"num_format": "0%"})
    merged_cells = {}
    for r0, c0, r1, c1 in merges:
        merged_cells[(r0, c0)] = (r1, c1)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged_cells:
                r1, c1 = merged_cells[(r, c)]
                sheet.merge_range(r, c, r1, c1, value)
            elif value is None:
                continue
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif (r, c) in percent_cells:
                sheet.write_number(r, c, value, percent_format)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def xls(rows, merges=()):
    """A real BIFF8 .xls, as old WPS and Excel 2003 save them (written with xlwt)."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                sheet.write_merge(r, r1, c, c1, value)
            elif value is None:
                continue
            elif isinstance(value, datetime.date):
                sheet.write(r, c, datetime.datetime.combine(value, datetime.time()), date_style)
            else:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows):
    """An OpenDocument spreadsheet (LibreOffice, WPS can save one), written with odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8", bom=False):
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
