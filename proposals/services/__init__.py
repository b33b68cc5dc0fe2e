"""Every write of the proposals app: one function per transition (docs/architecture.md), grouped by concern.

Each function takes keyword-only arguments with the acting user as `actor=`, runs in one transaction, locks the row
it changes, and takes a transition of proposals.workflows — which refuses a wrong state or a wrong party with
`CongressError` (a Chinese message, nothing changed) and writes the history row (congress.StateChange) — then
notifies the parties in-app (e-mail/SMS copies follow after the commit). Who may take which transition from which state
is declared in proposals/workflows.py, with the predicates of proposals/predicates.py.

  suggestions.py   create, edit, invite co-signers, respond, submit/presubmit, town review, register, return, merge,
                   close, priority supervision, on-site supervision
  assignments.py   assign, send-back request and decision, extension, contact, assisting opinion, reply, follow-up,
                   re-handling
  evaluations.py   publish a reply, evaluate online or from the paper form
  proposals.py     议案: register, place on the agenda, convert to a suggestion
"""
from proposals.conf import rule  # noqa: F401
from proposals.services.archive import session_archive_build, session_archive_request  # noqa: F401, E402
from proposals.services.assignments import (  # noqa: F401
    assignment_decide_send_back,
    assignment_grant_extension,
    assignment_record_contact,
    assignment_release_assist,
    assignment_reply,
    assignment_request_send_back,
    assignment_send_assist_opinion,
    extension_months_left,
    followup_report,
    result_categories,
    suggestion_assign,
    suggestion_rehandle,
)
from proposals.services.evaluations import evaluation_record_paper, evaluation_submit, reply_publish  # noqa: F401
from proposals.services.letters import (  # noqa: F401, E402
    assignment_letter_issue,
    assignment_letters_issue_many,
    assignment_reminder_letter_issue,
    assignment_supervision_letter_issue,
)
from proposals.services.proposals import (  # noqa: F401
    proposal_convert_to_suggestion,
    proposal_place_on_agenda,
    proposal_register,
    proposal_signers_check,
)
from proposals.services.suggestions import (  # noqa: F401
    cosignature_confirm,
    cosignature_decline,
    cosignature_respond,
    merge_targets,
    suggestion_close,
    suggestion_create,
    suggestion_invite_cosigners,
    suggestion_mark_priority,
    suggestion_merge,
    suggestion_register,
    suggestion_return,
    suggestion_submit,
    suggestion_town_forward,
    suggestion_town_return,
    suggestion_update_draft,
    supervision_event_record,
)
