"""Every write of supervision work, one function per transition, grouped by concern (polls, rectification, and each
kind of supervision in its own module); each takes a transition of supervision/workflows.py."""
from supervision.services.appraisals import (  # noqa: F401
    appraisal_assign,
    appraisal_close,
    appraisal_conclude,
    appraisal_convene,
    appraisal_create,
    appraisal_record_scores,
    appraisal_record_survey,
    appraisal_start_review,
    appraisal_start_self_check,
    appraisal_start_survey,
    appraisal_submit_self_check,
)
from supervision.services.inquiries import (  # noqa: F401
    inquiry_assign,
    inquiry_close,
    inquiry_create,
    inquiry_hold,
    inquiry_poll_unsatisfied,
    inquiry_report,
)
from supervision.services.inspections import (  # noqa: F401
    inspection_assign,
    inspection_close,
    inspection_create,
    inspection_deliberate,
    inspection_poll_unsatisfied,
    inspection_report_rectification,
    inspection_start,
    inspection_submit_report,
    inspection_visit,
)
from supervision.services.livelihood import (  # noqa: F401
    livelihood_conclude,
    livelihood_count,
    livelihood_enter_paper,
    livelihood_implement,
    livelihood_open,
    livelihood_poll,
    livelihood_propose,
    livelihood_report,
    livelihood_resolve_tie,
    livelihood_round_create,
    livelihood_shortlist,
    livelihood_vote,
)
from supervision.services.meetings import (  # noqa: F401
    meeting_reply_reminders_scan,
    meeting_request_close,
    meeting_request_cosign,
    meeting_request_create,
    meeting_request_decide,
    meeting_request_hold,
    meeting_request_propose,
    meeting_request_rate,
    meeting_request_reply,
)
from supervision.services.polls import (  # noqa: F401
    RESULT_HOOKS,
    poll_close,
    poll_create,
    poll_enter_paper,
    poll_open,
    poll_publish,
    poll_vote,
)
from supervision.services.ratings import (  # noqa: F401
    rated_official_submit_report,
    rating_reminders_send,
    rating_round_adjust,
    rating_round_confirm,
    rating_round_create,
    rating_round_send_letters,
    rating_round_start_polling,
    rating_round_start_reporting,
)
from supervision.services.rectification import (  # noqa: F401
    rectification_accept,
    rectification_create,
    rectification_report,
    rectification_return,
)
from supervision.services.reminders import (  # noqa: F401
    livelihood_report_reminder_due,
    livelihood_report_reminders_scan,
    rectification_reminder_due,
    rectification_reminders_scan,
)
from supervision.services.reports import (  # noqa: F401
    review_opinion_close,
    review_opinion_deadlines_recompute,
    review_opinion_poll,
    review_opinion_rectify,
    review_opinion_report,
    review_opinion_send,
    work_report_cancel,
    work_report_create,
    work_report_deliberate,
    work_report_distribute,
    work_report_reminders_send,
    work_report_schedule,
    work_report_submit,
)
