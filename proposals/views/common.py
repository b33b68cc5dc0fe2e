"""What the three parties' pages share: errors as messages, file responses."""
from django.contrib import messages
from django.http import FileResponse, Http404

from congress.services import CongressError


def show_error(request, exc: CongressError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def file_response(field, filename: str = ""):
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=False, filename=filename or field.name.rsplit("/", 1)[-1])
