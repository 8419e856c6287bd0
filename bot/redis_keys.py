"""Every Redis key the service writes, in one place. Keys hold references and keyed
hashes only, never a phone number, name, address or message text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "asb"

    def case(self, reference: str) -> str:
        return f"{self.prefix}:case:{reference}"

    def case_personal(self, reference: str) -> str:
        return f"{self.prefix}:case:{reference}:personal"

    def case_index(self) -> str:
        return f"{self.prefix}:cases"

    def unannounced_cases(self) -> str:
        """Cases whose case.created job may not have been queued yet (crash in between)."""
        return f"{self.prefix}:cases:unannounced"

    def conversation(self, conversation_key: str) -> str:
        return f"{self.prefix}:conv:{conversation_key}"

    def conversation_flags(self, conversation_key: str) -> str:
        return f"{self.prefix}:conv:{conversation_key}:flags"

    def pending_messages(self, conversation_key: str) -> str:
        """Messages kept while the dialogue engine was unreachable, replayed on its return."""
        return f"{self.prefix}:conv:{conversation_key}:pending"

    def emergency(self, emergency_id: str) -> str:
        return f"{self.prefix}:emergency:{emergency_id}"

    def emergencies_handled(self) -> str:
        """Emergency ids the P1 worker has taken, by time."""
        return f"{self.prefix}:emergencies:handled"

    def conversation_emergency(self, conversation_key: str) -> str:
        """The open emergency of a conversation, so a later location reaches the police."""
        return f"{self.prefix}:conv:{conversation_key}:emergency"

    # Telephony (Twilio). Message and call sids are Twilio's ids; numbers appear only as
    # pseudonymous keys.
    def conversation_choices(self, conversation_key: str) -> str:
        """The choices last offered on an SMS conversation, so a reply "2" means the second."""
        return f"{self.prefix}:conv:{conversation_key}:choices"

    def conversation_media(self, conversation_key: str) -> str:
        """MMS media URLs sent on a conversation, kept as evidence links for its case."""
        return f"{self.prefix}:conv:{conversation_key}:media"

    def conversation_callback(self, conversation_key: str) -> str:
        """A callback request made on a call outside opening hours."""
        return f"{self.prefix}:conv:{conversation_key}:callback"

    def callback_requests(self) -> str:
        return f"{self.prefix}:callbacks"

    def twilio_inbound(self, message_sid: str) -> str:
        """The answer given to one inbound MessageSid, so a retry gets the same answer."""
        return f"{self.prefix}:twilio:in:{message_sid}"

    def sms_opted_out(self) -> str:
        """Pseudonymous keys of numbers that texted STOP (or that Twilio reports as 21610)."""
        return f"{self.prefix}:sms:opted-out"

    def sms_invalid(self) -> str:
        """Pseudonymous keys of numbers Twilio refused as invalid (21211)."""
        return f"{self.prefix}:sms:invalid"

    def sms_outbound(self, message_sid: str) -> str:
        """One outbound message: its status history and the pseudonymous recipient."""
        return f"{self.prefix}:sms:out:{message_sid}"

    def case_contact_problems(self, reference: str) -> str:
        """Why the resident of a case could not be reached on a channel (e.g. invalid number)."""
        return f"{self.prefix}:case:{reference}:contact-problems"

    def call(self, call_sid: str) -> str:
        """Where one phone call has got to (menu, report, failures, step counter)."""
        return f"{self.prefix}:call:{call_sid}"

    def call_turn(self, call_sid: str, step: int) -> str:
        """The result of a slow conversation turn on a call, picked up by a redirect."""
        return f"{self.prefix}:call:{call_sid}:turn:{step}"

    def call_status(self, call_sid: str) -> str:
        return f"{self.prefix}:call:{call_sid}:status"

    # Case events, acknowledgements and SLA clocks (docs/acknowledgements.md).
    def case_events(self, reference: str) -> str:
        """The case's event log (a stream): case.sla_at_risk, acknowledgement outcomes, ..."""
        return f"{self.prefix}:case:{reference}:events"

    def events(self) -> str:
        """Every case event of every case, in order (a stream), for partner delivery."""
        return f"{self.prefix}:events"

    def operator_alerts(self) -> str:
        """Things a person must look at (a stream): undeliverable acknowledgements, ..."""
        return f"{self.prefix}:alerts"

    def notice(self, reference: str, kind: str) -> str:
        """The state of one written notice to the resident (kind: acknowledgement), claimed
        before it is sent so it is never sent twice."""
        return f"{self.prefix}:case:{reference}:notice:{kind}"

    def notices_due(self) -> str:
        """References whose notice has a next attempt due, scored by when (reconciled)."""
        return f"{self.prefix}:notices:due"

    def callbacks_owed(self) -> str:
        """References whose acknowledgement must be given by a person on the phone."""
        return f"{self.prefix}:notices:callbacks-owed"

    def sla_due(self) -> str:
        """SLA checks (reference|clock|at_risk or breached) scored by when they fall due."""
        return f"{self.prefix}:sla:due"

    def sla_raised(self, reference: str) -> str:
        """The SLA events already raised for a case, so each is raised once."""
        return f"{self.prefix}:case:{reference}:sla-raised"
