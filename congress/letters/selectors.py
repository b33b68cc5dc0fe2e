"""Who reads which letters: the committee's staff and leaders every one, a handling unit's accounts the letters
addressed to their unit, nobody else."""
from django.contrib.contenttypes.models import ContentType

from congress.letters.models import OfficialLetter
from congress.predicates import is_committee_staff, is_leader, unit_id


def may_read_letter(user, letter: OfficialLetter) -> bool:
    if is_committee_staff(user) or is_leader(user):
        return True
    unit = unit_id(user)
    return unit is not None and unit == letter.addressee_id


def letter_list_for(*, user):
    """The letters `user` may read, newest first, with what their lists show."""
    qs = OfficialLetter.objects.select_related("addressee", "created_by")
    if is_committee_staff(user) or is_leader(user):
        return qs
    unit = unit_id(user)
    if unit is None:
        return qs.none()
    return qs.filter(addressee_id=unit)


def letters_about(obj):
    """The letters issued about one record (an assignment), newest first."""
    return OfficialLetter.objects.filter(subject_type=ContentType.objects.get_for_model(obj),
                                         subject_id=obj.pk).select_related("addressee")
