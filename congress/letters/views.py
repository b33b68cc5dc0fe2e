"""The letter's PDF behind the permission check, and a unit's letters in its workspace (/unit/letters/)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from congress.letters.models import OfficialLetter
from congress.letters.selectors import letter_list_for, may_read_letter
from congress.lib import uploads
from congress.lib.access import unit_required

PAGE_SIZE = 30


@require_GET
@login_required
def letter_file(request, pk):
    letter = get_object_or_404(OfficialLetter.objects.select_related("addressee"), pk=pk)
    if not may_read_letter(request.user, letter):
        raise PermissionDenied("只有主送单位和常委会机关工作人员可以查看这份公文")
    return uploads.serve(request, letter.file, filename=letter.filename)


@require_GET
@unit_required
def unit_letters(request):
    page = Paginator(letter_list_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "congress/unit_letters.html", {"page": page, "unit": request.user.organization})
