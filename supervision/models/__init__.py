"""The standing committee's supervision work (监督法): who sits on the committee, the satisfaction polls every kind of
supervision ends in, the rectification items several of them produce, and each kind of supervision work in its own
module. Every state is changed by supervision/services through the workflows declared in supervision/workflows.py."""
from supervision.models.appraisals import Appraisal, AppraisalAspect, AppraisalScheme, AppraisalScore, AppraisalSurvey  # noqa: F401
from supervision.models.inquiries import (  # noqa: F401
    Inquiry,
    InquiryCommitment,
    InquiryOfficial,
    InquiryQuestion,
    InquiryReport,
)
from supervision.models.inspections import Inspection, InspectionMember, InspectionProblem, InspectionVisit  # noqa: F401
from supervision.models.livelihood import LivelihoodBallot, LivelihoodProject, LivelihoodReport, LivelihoodRound, LivelihoodVoter  # noqa: F401,E501
from supervision.models.meetings import MeetingRating, MeetingRequest, MeetingSigner  # noqa: F401
from supervision.models.members import CommitteeMember  # noqa: F401
from supervision.models.polls import PollBallot, PollGroup, PollVoter, SatisfactionPoll  # noqa: F401
from supervision.models.ratings import RatedOfficial, RatingRound  # noqa: F401
from supervision.models.rectification import Rectification, RectificationReport  # noqa: F401
from supervision.models.reports import ReportSubmission, ReviewOpinion, WorkReport  # noqa: F401
