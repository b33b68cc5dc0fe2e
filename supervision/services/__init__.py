"""Every write of supervision work, one function per transition, grouped by concern (polls, rectification, and each
kind of supervision in its own module); each takes a transition of supervision/workflows.py."""
from supervision.services.inquiries import (  # noqa: F401
    inquiry_assign,
    inquiry_close,
    inquiry_create,
    inquiry_hold,
    inquiry_poll_unsatisfied,
    inquiry_report,
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
