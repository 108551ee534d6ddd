"""Adding, changing and removing an attachment (komvidere.models.Attachment), for every
content type that has them.

The content services check who may do it and record the revision; what happens to the row
and the stored file is the same everywhere and lives here. An attachment always knows its
original name, its size and its content type (read from the file's first bytes, never from
what the browser claims), and a removed or replaced file leaves storage once the change is
committed: a rollback keeps it. The module imports no app.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from komvidere.publishing import delete_file_after_commit
from komvidere.validators import detect_attachment_type, validate_attachment_file

ORIGINAL_NAME_MAX_LENGTH = 255
UNKNOWN_CONTENT_TYPE = "application/octet-stream"


def _describe(attachment: models.Model, file: UploadedFile) -> None:
    """Validate an upload and record what it is on the (unsaved) attachment."""
    validate_attachment_file(file)
    kind = detect_attachment_type(file)
    attachment.file = file
    attachment.original_name = (file.name or "")[-ORIGINAL_NAME_MAX_LENGTH:]
    attachment.size = file.size or 0
    attachment.content_type = kind.mime if kind else UNKNOWN_CONTENT_TYPE


@transaction.atomic
def add(
    *, model: type[models.Model], owner: dict, user, file: UploadedFile, title: str
) -> models.Model:
    """Store `file` as a new attachment of `model`, owned by `owner` ({"case": case}).

    The file is checked by content (PDF, office document, PNG/JPEG/WebP), its name must agree
    with its content, and it may be at most 10 MB (ValidationError otherwise). It is stored
    under a random name; its original name, size and content type are recorded.
    """
    attachment = model(
        **owner, title=title, uploaded_by=user if getattr(user, "pk", None) else None
    )
    _describe(attachment, file)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def update(*, attachment: models.Model, title: str, file: UploadedFile | None = None) -> dict:
    """Give an attachment a new title and, when `file` is given, a new file (validated and
    described as on adding; the old file is deleted after commit). Returns the old values of
    what changed, for the revision log."""
    previous = {}
    if title != attachment.title:
        previous["title"] = attachment.title
        attachment.title = title
    if file is not None:
        old = attachment.file
        storage, name = old.storage, old.name
        previous["file"] = attachment.original_name
        _describe(attachment, file)
        delete_file_after_commit(storage, name)
    if previous:
        attachment.full_clean()
        attachment.save()
    return previous


@transaction.atomic
def delete(*, attachment: models.Model) -> None:
    """Remove the attachment's row now and its stored file once the transaction commits."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    delete_file_after_commit(storage, name)


def delete_files_after_commit(files) -> None:
    """Remove stored files (FieldFiles, empty ones skipped) once the transaction commits;
    used when a whole item with its attachments and images is deleted."""
    for file in files:
        if file and file.name:
            delete_file_after_commit(file.storage, file.name)
