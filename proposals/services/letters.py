"""Official letters about assignments: 交办函 (every suggestion handed to one unit on one day), 督办函 (an open
assignment) and 提醒函 (an overdue one). Each builds the letter's words and table from the records here and calls
congress.letters.services.letter_issue, which numbers, renders and keeps the PDF; the issue is a step of the
assignment's workflow (its timeline says which letter, with its number). A second letter is a new letter with a new
number: nothing is regenerated over."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from congress.letters.models import LetterKind, OfficialLetter
from congress.letters.services import LetterContent, LetterTable, chinese_date, letter_issue
from congress.models import User
from proposals.models import Assignment
from proposals.services._common import lock_assignment
from proposals.workflows import ASSIGNMENT

LAW = "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》"


def _note(note: str) -> list[str]:
    return [note.strip()] if note and note.strip() else []


def _item(assignment: Assignment) -> str:
    s = assignment.suggestion
    return f"{s.lead_deputy.full_name}代表领衔提出的《{s.title}》（{s.number or '未编号'}）"


def assignment_batch(assignment: Assignment):
    """The assignments one 交办函 covers: every suggestion handed to the same unit on the same day, not sent back."""
    return (Assignment.objects.filter(unit_id=assignment.unit_id, assigned_on=assignment.assigned_on)
            .exclude(status=Assignment.Status.SENT_BACK)
            .select_related("suggestion__lead_deputy", "suggestion__session__term", "suggestion__term")
            .order_by("suggestion__batch_key", "suggestion__serial", "id"))


@transaction.atomic
def assignment_letter_issue(*, actor: User, assignment: Assignment, note: str = "") -> OfficialLetter:
    """交办函 to the assignment's unit listing every suggestion assigned to it on the assignment's day."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "letter_assign")
    batch = list(assignment_batch(assignment).select_for_update(of=("self",)))
    labels = sorted({a.suggestion.batch_label() for a in batch})
    batch_label = labels[0] if len(labels) == 1 else ""
    roles = {a.role for a in batch}
    paragraphs = [
        f"根据{LAW}和本区代表建议办理工作的有关规定，现将{batch_label}代表提出的{len(batch)}件建议、批评和意见"
        f"于{chinese_date(assignment.assigned_on)}交由你单位办理，具体见附件《交办建议清单》。",
        "请你单位高度重视，明确分管领导和承办人员，加强与代表的沟通联系，做到办前、办中、办后“三见面”，"
        "在答复期限内以书面形式答复代表，并在履职服务平台上传加盖公章的答复函。",
    ]
    if Assignment.Role.ASSISTING in roles:
        paragraphs.append("协办（会办）件请在规定期限内向主办单位提出会办意见，由主办单位统一答复代表。")
    paragraphs.append(f"对交办有异议的，请于{chinese_date(assignment.send_back_until)}前通过履职服务平台提出退回申请，"
                      "逾期不再调整。")
    paragraphs += _note(note) + ["特此函告。"]
    rows = [(str(i), a.suggestion.number or "未编号", a.suggestion.title, a.suggestion.lead_deputy.full_name,
             a.get_role_display(), chinese_date(a.current_due_date)) for i, a in enumerate(batch, 1)]
    table = LetterTable(f"交办建议清单（{len(batch)}件）", ["序号", "建议编号", "标题", "领衔代表", "承办方式", "答复期限"], rows)
    content = LetterContent(title=f"关于交办{batch_label}代表建议的函", paragraphs=paragraphs, table=table)
    letter = letter_issue(actor=actor, kind=LetterKind.ASSIGNMENT, addressee=assignment.unit, content=content,
                          subject=assignment,
                          subject_text=f"{assignment.assigned_on:%Y-%m-%d}交办的{len(batch)}件建议")
    for item in batch:
        ASSIGNMENT.apply(item, "letter_assign", actor=actor, reason=f"交办函 {letter.number}")
    return letter


@transaction.atomic
def assignment_supervision_letter_issue(*, actor: User, assignment: Assignment, note: str = "") -> OfficialLetter:
    """督办函 to the unit of an assignment it still owes an answer."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "letter_supervise")
    s = assignment.suggestion
    paragraphs = [
        f"{_item(assignment)}，已于{chinese_date(assignment.assigned_on)}交由你单位{assignment.get_role_display()}，"
        f"答复期限为{chinese_date(assignment.current_due_date)}。目前该件尚未办结答复。",
    ]
    if s.is_priority:
        leader = f"，督办领导为{s.supervising_leader}" if s.supervising_leader else ""
        paragraphs.append(f"该件已列为常委会重点督办建议{leader}。")
    paragraphs += [
        f"根据{LAW}第五十二条的规定，请你单位加大办理力度，主要负责同志亲自研究部署，与代表当面沟通办理方案，"
        "加快推进办理工作，按期书面答复代表，并将办理进展情况及时报送常委会办公室。",
        *_note(note), "特此函告。",
    ]
    content = LetterContent(title=f"关于督办{s.number or ''}代表建议的函", paragraphs=paragraphs)
    letter = letter_issue(actor=actor, kind=LetterKind.SUPERVISION, addressee=assignment.unit, content=content,
                          subject=assignment, subject_text=s.number or s.title)
    ASSIGNMENT.apply(assignment, "letter_supervise", actor=actor, reason=f"督办函 {letter.number}")
    return letter


@transaction.atomic
def assignment_reminder_letter_issue(*, actor: User, assignment: Assignment, note: str = "") -> OfficialLetter:
    """提醒函 to the unit of an assignment past its deadline and still unanswered."""
    assignment = lock_assignment(assignment)
    ASSIGNMENT.check(actor, assignment, "letter_remind")
    s = assignment.suggestion
    due = assignment.current_due_date
    late = (timezone.localdate() - due).days
    paragraphs = [
        f"{_item(assignment)}，已于{chinese_date(assignment.assigned_on)}交由你单位{assignment.get_role_display()}，"
        f"答复期限为{chinese_date(due)}，现已逾期{late}天，你单位尚未答复。",
        "请你单位抓紧办理，尽快书面答复代表，并将逾期未答复的原因书面报送常委会办公室。",
        *_note(note), "特此提醒。",
    ]
    content = LetterContent(title=f"关于{s.number or ''}代表建议逾期未答复的提醒函", paragraphs=paragraphs)
    letter = letter_issue(actor=actor, kind=LetterKind.REMINDER, addressee=assignment.unit, content=content,
                          subject=assignment, subject_text=s.number or s.title)
    ASSIGNMENT.apply(assignment, "letter_remind", actor=actor, reason=f"提醒函 {letter.number}")
    return letter


@transaction.atomic
def assignment_letters_issue_many(*, actor: User, assignments, kind: str, note: str = "") -> tuple[list, list[str]]:
    """Bulk issue from the admin's list: 交办函 — one per batch (unit and day of assignment) among the selected, a batch
    that already has one skipped; 提醒函 — one per selected assignment past its deadline, the others skipped. Returns
    (letters, why each skipped one was skipped). All or nothing: one failure and no letter keeps its number. More than
    LETTER_BATCH_MAX letters at once is refused before anything is written."""
    from congress.predicates import is_committee_staff
    from congress.services import CongressError

    if not is_committee_staff(actor):
        raise CongressError("只有常委会机关工作人员可以发函")
    if kind not in (LetterKind.ASSIGNMENT, LetterKind.REMINDER):
        raise CongressError("批量发函只用于交办函和提醒函")
    selected = list(assignments.select_related("suggestion", "unit").order_by("unit_id", "assigned_on", "id"))
    skipped, todo = [], []
    if kind == LetterKind.ASSIGNMENT:
        batches = {}
        for a in selected:
            batches.setdefault((a.unit_id, a.assigned_on), a)
        lettered = _batches_with_assignment_letters(batches)
        for key, a in batches.items():
            if key in lettered:
                skipped.append(f"{a.unit.name}{chinese_date(a.assigned_on)}交办的建议已发过交办函")
            elif (why := ASSIGNMENT.refusal(actor, a, "letter_assign")) is not None:
                skipped.append(f"{a.unit.name}{chinese_date(a.assigned_on)}交办的建议：{why}")
            else:
                todo.append(a)
    else:
        for a in selected:
            if (why := ASSIGNMENT.refusal(actor, a, "letter_remind")) is not None:
                skipped.append(f"{a.suggestion.number or a.suggestion.title}（{a.unit.name}）：{why}")
            else:
                todo.append(a)
    limit = settings.CONGRESS_RULES["LETTER_BATCH_MAX"]
    if len(todo) > limit:
        raise CongressError(f"所选事项需要发函{len(todo)}份，一次最多{limit}份，请分批选择。")
    issue = assignment_letter_issue if kind == LetterKind.ASSIGNMENT else assignment_reminder_letter_issue
    return [issue(actor=actor, assignment=a, note=note) for a in todo], skipped


def _batches_with_assignment_letters(batches: dict) -> set:
    """The (unit, day) batches among `batches` that some 交办函 already covers, in one query: a letter's subject is one
    assignment of its batch."""
    units = {unit for unit, _ in batches}
    days = {day for _, day in batches}
    letters = OfficialLetter.objects.filter(kind=LetterKind.ASSIGNMENT,
                                            subject_type=ContentType.objects.get_for_model(Assignment))
    covered = (Assignment.objects.filter(unit_id__in=units, assigned_on__in=days,
                                         pk__in=letters.values("subject_id"))
               .values_list("unit_id", "assigned_on").distinct())
    return set(covered) & set(batches)
