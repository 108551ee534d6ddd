"""Serving stored uploads to members: the caller has already checked they may see the owner."""

from botocore.exceptions import ClientError
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def file_response(
    field_file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """Stream a stored file privately; a file missing from storage is a 404, not a 500."""
    if not field_file:
        raise Http404
    return stored_file_response(
        field_file.storage,
        field_file.name,
        filename=filename,
        content_type=content_type,
        as_attachment=as_attachment,
    )


def stored_file_response(
    storage: Storage, name: str, *, filename: str, content_type: str, as_attachment: bool = True
) -> FileResponse:
    """Stream the file `name` from `storage` privately (file_response for a file that no model
    field holds, such as an image's rendition); missing from storage is a 404."""
    if not name:
        raise Http404
    try:
        handle = storage.open(name, "rb")
        # Streamed from the storage (local disk or S3) after the caller's permission check;
        # S3 objects stay private, so no link to them ever leaves the site.
        response = FileResponse(
            handle,
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type or "application/octet-stream",
        )
    except (FileNotFoundError, ValueError, ClientError):
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
