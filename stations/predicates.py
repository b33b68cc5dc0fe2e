"""Who may do what with stations, reception days and voters' opinions: the one place that decides. Committee staff
act on every town's stations; town staff on their granted towns' only (django-guardian grant, congress.predicates);
a unit on the opinions referred to it; a voter, who has no account, on their own opinion by its tracking code."""
from congress.predicates import in_towns, is_committee_staff, is_town_staff, unit_id


def _perm(user, perm: str) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_perm(perm))


def can_schedule_reception(user, station) -> bool:
    return _perm(user, "stations.add_receptionday") and in_towns(user, station.town_id)


def can_manage_reception(user, reception) -> bool:
    """Record or cancel a reception day: staff with the permission, within their towns."""
    return _perm(user, "stations.change_receptionday") and in_towns(user, reception.station.town_id)


def can_handle_opinion(user, opinion) -> bool:
    """Refer, answer, decline and close a voter's opinion: staff with the permission, within their towns."""
    return _perm(user, "stations.change_voteropinion") and in_towns(user, opinion.station.town_id)


def is_referred_unit(user, opinion) -> bool:
    """The handling unit an opinion was referred to (it answers in /unit/opinions/)."""
    return unit_id(user) is not None and opinion.unit_id == unit_id(user)


def holds_tracking_code(user, opinion) -> bool:
    """The voter: whoever holds the opinion's tracking code reached it (the public page looks it up by that code)."""
    return True


def can_see_station_records(user, station) -> bool:
    return _perm(user, "stations.view_station") and in_towns(user, station.town_id)


def reception_refusal(user, reception) -> str:
    if not _perm(user, "stations.change_receptionday"):
        return "没有管理接待选民日的权限"
    return "只能安排本镇街家站点的接待"


def opinion_refusal(user, opinion) -> str:
    if not _perm(user, "stations.change_voteropinion"):
        return "没有办理社情民意的权限"
    return "只能办理本镇街家站点收到的意见"


# -- 国家机关进家站点 (stations/services_organs.py)


def is_station_organ(organ) -> bool:
    """An organization that comes to stations: a state organ or a government department, in use."""
    from stations.models_organs import ORGAN_KINDS

    return organ is not None and organ.kind in ORGAN_KINDS and organ.is_active


def is_organ_of(user, organ) -> bool:
    """The organ's own unit users (承办单位 accounts of that organization), in the unit workspace."""
    return unit_id(user) is not None and organ is not None and unit_id(user) == organ.pk


def can_manage_organ_items(user, organ) -> bool:
    """An organ's list of items: the organ itself (unit workspace) or committee staff (the admin); not town staff."""
    return is_organ_of(user, organ) or (_perm(user, "stations.change_organserviceitem") and not is_town_staff(user))


def can_record_organ_visit(user, organ, station) -> bool:
    """A visit is entered by the organ that came (for itself only) or by staff within their towns' stations."""
    if unit_id(user) is not None:
        return is_organ_of(user, organ)
    return _perm(user, "stations.add_organvisit") and in_towns(user, station.town_id)


def organ_visit_refusal(user, organ, station) -> str:
    if unit_id(user) is not None:
        return "只能登记本单位的进站活动"
    if not _perm(user, "stations.add_organvisit"):
        return "没有登记国家机关进站活动的权限"
    return "只能登记本镇街家站点的进站活动"


def organ_items_refusal(user, organ) -> str:
    if unit_id(user) is not None:
        return "只能维护本单位的进站事项"
    return "没有维护国家机关进站事项的权限"
# -- the 八有 standards and the star ratings (stations/standards.py) ---------------------------------------------

def can_record_standards(user, station) -> bool:
    """Mark a station's 八有 items met or not, with the photo: staff with the permission, within their towns."""
    return _perm(user, "stations.change_stationstandard") and in_towns(user, station.town_id)


def standards_refusal(user, station) -> str:
    if not _perm(user, "stations.change_stationstandard"):
        return "没有填报“八有”达标情况的权限"
    return "只能填报本镇街家站点的达标情况"


def can_see_standards(user, station) -> bool:
    """See a station's 八有 states and their photos: whoever may view them, within their towns."""
    return _perm(user, "stations.view_stationstandard") and in_towns(user, station.town_id)


def can_score_appraisal(user, appraisal) -> bool:
    """Open, score and submit a station's yearly appraisal: town staff for their towns' stations, committee staff for
    every station (each with the permission)."""
    return _perm(user, "stations.change_stationappraisal") and in_towns(user, appraisal.station.town_id)


def can_confirm_appraisal(user, appraisal) -> bool:
    """Confirm or return a submitted appraisal: the committee's staff only (the stars are the committee's decision)."""
    return _perm(user, "stations.change_stationappraisal") and is_committee_staff(user)


def scoring_refusal(user, appraisal) -> str:
    if not _perm(user, "stations.change_stationappraisal"):
        return "没有星级评定评分的权限"
    return "只能为本镇街的家站点评分"


def confirming_refusal(user, appraisal) -> str:
    return "星级评定由区人大常委会机关工作人员确认"
