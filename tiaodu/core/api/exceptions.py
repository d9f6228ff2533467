"""One error shape for the whole API.

    {"error": {"code": "validation_error", "message": "…", "fields": {"name": ["…"]}}}

``code`` is machine-readable and stable; ``message`` and ``fields`` are in the request's language.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = _first_message(fields) or _("提交的数据有误。")
        body = {"code": "validation_error", "message": message, "fields": fields}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": code if isinstance(code, str) else "error",
            "message": str(detail if not isinstance(detail, (list, dict)) else _first_message(detail)),
        }
    return Response({"error": body}, status=response.status_code, headers=_headers(response))


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            message = _first_message(value)
            if message:
                return message if key in ("non_field_errors", "__all__") else f"{key}: {message}"
        return ""
    if isinstance(detail, list):
        for item in detail:
            message = _first_message(item)
            if message:
                return message
        return ""
    return str(detail)


def _headers(response: Response) -> dict:
    return {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
