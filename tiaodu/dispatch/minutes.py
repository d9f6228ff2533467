"""会议纪要 as a .docx (python-docx): title, time and place, chair, attendees, decisions per project, task table."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .models import Meeting


def minutes_docx(meeting: Meeting, items, tasks) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    heading = document.add_heading(_("{title}会议纪要").format(title=meeting.title), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _("时间：{date}　地点：{place}　主持：{chair}").format(
            date=meeting.date.isoformat(),
            place=meeting.place or "—",
            chair=meeting.chair.name if meeting.chair else "—",
        )
    )
    attendees = "、".join(org.name for org in meeting.attendees.all()) or "—"
    document.add_paragraph(_("参会单位：{attendees}").format(attendees=attendees))
    document.add_heading(_("一、议定事项"), level=2)
    if not items:
        document.add_paragraph(_("本次会议无项目议题。"))
    for number, item in enumerate(items, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. {item.project.name}").bold = True
        paragraph.add_run(f"（{item.get_reason_display()}）")
        document.add_paragraph(item.decisions or _("（未记录议定事项）"))
    document.add_heading(_("二、现场交办事项"), level=2)
    headers = [_("序号"), _("问题编号"), _("项目"), _("问题描述"), _("责任单位"), _("办理时限"), _("状态")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for number, problem in enumerate(tasks, start=1):
        cells = table.add_row().cells
        values = [
            str(number),
            problem.number,
            problem.project.name if problem.project else str(problem.region),
            problem.description,
            str(problem.department or "—"),
            problem.deadline.isoformat() if problem.deadline else "—",
            str(problem.get_status_display()),
        ]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
