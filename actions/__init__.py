"""Custom actions for the Rasa server, served by rasa-sdk:
`python -m rasa_sdk --actions actions`."""

from actions.contact_questions import (
    ActionAskContactMethod,
    ActionAskContactName,
    ActionAskContactPhone,
)
from actions.conversation_control import (
    ActionChangeAnswer,
    ActionExplainQuestion,
    ActionHandOff,
    ActionStartAgain,
    ActionStopReport,
    ActionWhoAreYou,
)
from actions.council_area import ActionAskCouncilArea
from actions.landlord import ActionAskLandlord
from actions.report_form import ValidateReportForm
from actions.report_summary import ActionAskReportConfirmed
from actions.risk_question import ActionAskTargetedIdentity, ActionAskVulnerability
from actions.session_start import ActionSessionStart
from actions.start_report import ActionNotUnderstood, ActionOutOfScope, ActionStartReport
from actions.submit_report import ActionSubmitReport

__all__ = [
    "ActionAskContactMethod",
    "ActionAskContactName",
    "ActionAskContactPhone",
    "ActionAskCouncilArea",
    "ActionAskLandlord",
    "ActionAskReportConfirmed",
    "ActionAskTargetedIdentity",
    "ActionAskVulnerability",
    "ActionChangeAnswer",
    "ActionExplainQuestion",
    "ActionHandOff",
    "ActionNotUnderstood",
    "ActionOutOfScope",
    "ActionSessionStart",
    "ActionStartAgain",
    "ActionStartReport",
    "ActionStopReport",
    "ActionSubmitReport",
    "ActionWhoAreYou",
    "ValidateReportForm",
]
