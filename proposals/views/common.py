"""What the three parties' pages share: errors as messages."""
from django.contrib import messages

from congress.services import CongressError


def show_error(request, exc: CongressError) -> None:
    for message in exc.messages:
        messages.error(request, message)

