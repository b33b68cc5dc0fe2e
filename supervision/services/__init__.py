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
from supervision.services.polls import (  # noqa: F401
    RESULT_HOOKS,
    poll_close,
    poll_create,
    poll_enter_paper,
    poll_open,
    poll_publish,
    poll_vote,
)
from supervision.services.rectification import (  # noqa: F401
    rectification_accept,
    rectification_create,
    rectification_report,
    rectification_return,
)
