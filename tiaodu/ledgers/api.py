"""What the API's import endpoints share: the upload's fields, running it, and the answer.

An endpoint takes a multipart file (``dry_run`` to only check it), runs the same import as the
ledger pages and ``tiaodu import`` (``services.run_import``), and answers 200 with the counts and
each row's outcome when the whole file is good (written unless ``dry_run``), else 400 with every
problem as ``第N行「列名」"值"：原因``; nothing is written then.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from tiaodu.core.api.serializers import call_service
from tiaodu.regions.models import Region

from .forms import MAX_UPLOAD_BYTES
from .reading import SUFFIXES
from .services import run_import


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx, .xls, .ods, or .csv in UTF-8 or GBK")
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Code of the city or county whose county names the file uses; the user's own by default",
    )
    dry_run = serializers.BooleanField(default=False, help_text="Only check the file; write nothing")

    def validate_file(self, upload):
        if not upload.name.lower().endswith(SUFFIXES):
            raise serializers.ValidationError(_("不支持的文件类型：请上传 .xlsx、.xls、.ods 或 .csv 文件。"))
        if upload.size == 0:
            raise serializers.ValidationError(_("文件是空的。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("文件超过50MB，请拆分后上传。"))
        return upload


def import_answer(result) -> dict:
    return {
        "written": result.written,
        "counts": result.counts,
        "problems": [str(problem) for problem in result.problems],
        "notes": result.notes,
        "rows": [
            {"row": o.number, "action": o.action, "name": o.name, "region": o.region, "changes": o.changes}
            for o in result.outcomes
        ],
    }


def import_response(request, kind: str, data: dict, **params) -> Response:
    """Run the import of ``kind`` on the validated ``data`` of an ``ImportFileSerializer``."""
    upload = data["file"]
    result = call_service(
        lambda: run_import(
            kind,
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            region=data.get("region"),
            dry_run=data["dry_run"],
            **params,
        )
    )
    return Response(import_answer(result), status=200 if result.ok else 400)
