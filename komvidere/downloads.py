"""Serving stored uploads to members: the caller has already checked they may see the owner."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def file_response(
    field_file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """Stream a stored file privately; a file missing from storage is a 404, not a 500."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
