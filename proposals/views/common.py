"""What the three parties' pages share: errors as messages, the timeline's Chinese labels."""
from django.contrib import messages

from congress.services import CongressError

ACTIONS = {
    "create": "起草", "submit": "提交", "presubmit": "预提交镇街审核", "town_return": "镇街退回修改",
    "town_forward": "镇街审核提交", "register": "登记编号", "return": "退回", "merge": "并案", "merge_in": "并入",
    "assign": "交办", "cosign_invite": "邀请附议", "cosign_confirm": "确认附议", "cosign_decline": "谢绝附议",
    "request_send_back": "申请退回", "approve_send_back": "同意退回", "reject_send_back": "不同意退回",
    "reassign_pending": "待重新交办", "extend": "延期", "contact": "沟通联系", "assist_opinion": "会办意见",
    "reply": "答复", "second_reply": "再次答复", "replied": "全部答复", "followup": "续办报告",
    "publish": "答复公开", "evaluate": "评价", "rehandle": "重新办理", "close": "办结", "priority": "重点督办",
    "supervision_event": "现场督办", "from_proposal": "议案转为建议",
}


def timeline_rows(transitions):
    return [{"t": t, "label": ACTIONS.get(t.action, t.action)} for t in transitions]


def show_error(request, exc: CongressError) -> None:
    for message in exc.messages:
        messages.error(request, message)

