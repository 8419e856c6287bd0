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

    def partnership_cases(self, partnership: str) -> str:
        """The partnership's case references scored by creation time (linking reads the
        recent ones)."""
        return f"{self.prefix}:partnership:{partnership}:cases"

    def partnership_index_built(self) -> str:
        """Set once every case stored before the partnership indexes existed was filed."""
        return f"{self.prefix}:partnership:indexed"

    def unannounced_cases(self) -> str:
        """Cases whose case.created job may not have been queued yet (crash in between)."""
        return f"{self.prefix}:cases:unannounced"

    def conversation(self, conversation_key: str) -> str:
        return f"{self.prefix}:conv:{conversation_key}"

    def conversation_flags(self, conversation_key: str) -> str:
        return f"{self.prefix}:conv:{conversation_key}:flags"

    def conversation_recent(self, conversation_key: str) -> str:
        """The resident's last few messages (sealed), read with each new one by triage."""
        return f"{self.prefix}:conv:{conversation_key}:recent"

    def conversation_danger(self, conversation_key: str) -> str:
        """The danger question awaiting an answer, with the message it holds back (sealed)."""
        return f"{self.prefix}:conv:{conversation_key}:danger"

    def conversation_turn_lock(self, conversation_key: str) -> str:
        """Held while a gateway serves a turn of the conversation (a redis-py lock)."""
        return f"{self.prefix}:conv:{conversation_key}:turn-lock"

    def conversation_settled(self, conversation_key: str) -> str:
        """When the conversation was last answered in full (by the engine, or by the end of
        a scripted report): a case stored after it belongs to the report under way."""
        return f"{self.prefix}:conv:{conversation_key}:settled"

    def conversation_untold_case(self, conversation_key: str) -> str:
        """The reference of the conversation's newest case until an answer that tells it
        goes out: a gateway can die between Rasa storing the report and the resident
        seeing the answer with its reference."""
        return f"{self.prefix}:conv:{conversation_key}:untold-case"

    def conversation_message(self, conversation_key: str, message_digest: str) -> str:
        """A web chat message's claim, then its answer, so the page's resend of it is
        answered without being taken twice (bot/conversation/resends.py)."""
        return f"{self.prefix}:conv:{conversation_key}:msg:{message_digest}"

    def chat_start(self, message_digest: str) -> str:
        """The conversation a web chat's first message started (its id, sealed), so a
        resend of that message goes on in it rather than starting another."""
        return f"{self.prefix}:chat-start:{message_digest}"

    def conversation_submissions(self, conversation_key: str) -> str:
        """The reports a conversation submitted (a hash: digest of the content -> reference),
        so the same report sent again tells the same reference."""
        return f"{self.prefix}:conv:{conversation_key}:submitted"

    def pending_messages(self, conversation_key: str) -> str:
        """Messages kept while the dialogue engine was unreachable, replayed on its return."""
        return f"{self.prefix}:conv:{conversation_key}:pending"

    def fallback_report(self, conversation_key: str) -> str:
        """The scripted report taken while the dialogue engine was down (a hash)."""
        return f"{self.prefix}:conv:{conversation_key}:fallback"

    def counters(self) -> str:
        """Deployment-wide counts for /metrics (cases, acknowledgements, deliveries, ...)."""
        return f"{self.prefix}:counters"

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

    def contact_calls(self, contact_key: str) -> str:
        """The calls a number made (a hash: conversation key -> CallSid), under the number's
        keyed hash, so erasure by number finds calls that never became a case."""
        return f"{self.prefix}:contact:{contact_key}:calls"

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

    # Partner delivery (docs/partners.md). A delivery is one event for one agency; its id
    # is the `webhook-id` it is sent with on every attempt.
    def delivery(self, webhook_id: str) -> str:
        """One delivery: agency, event type, body, attempts, state (a hash)."""
        return f"{self.prefix}:delivery:{webhook_id}"

    def case_deliveries(self, subject: str) -> str:
        """The delivery log of a case (or an emergency id): one entry per attempt (a stream)."""
        return f"{self.prefix}:case:{subject}:deliveries"

    def deliveries_due(self) -> str:
        """Deliveries with an attempt due, scored by when (reconciled after a lost job)."""
        return f"{self.prefix}:deliveries:due"

    def dead_letters(self) -> str:
        """Deliveries that gave up (last attempt failed, endpoint gone), scored by when."""
        return f"{self.prefix}:deliveries:dead"

    def disabled_endpoints(self) -> str:
        """Agencies whose endpoint answered 410 Gone: nothing is sent until re-enabled."""
        return f"{self.prefix}:partners:disabled"

    def partner_api_keys(self) -> str:
        """SHA-256 of each issued partner API key -> its agency id (a hash)."""
        return f"{self.prefix}:partners:api-keys"

    def staff_keys(self) -> str:
        """SHA-256 of each issued dashboard staff key -> its partnership id (a hash)."""
        return f"{self.prefix}:staff:keys"

    def case_updates(self, reference: str) -> str:
        """Partner updates of a case, in order (a list of JSON, no personal detail)."""
        return f"{self.prefix}:case:{reference}:updates"

    def repeat_reports(self, pseudonym: str) -> str:
        """A contact's or address's cases by time (for repeat-victim checks)."""
        return f"{self.prefix}:repeat:{pseudonym}"

    def status_attempts(self, reference: str) -> str:
        """Failed PIN checks for a case's status, counted for an hour (brute force)."""
        return f"{self.prefix}:case:{reference}:status-attempts"

    def satisfaction_pending(self, pseudonym: str) -> str:
        """The closed case whose satisfaction question awaits this contact's reply."""
        return f"{self.prefix}:satisfaction:{pseudonym}"

    def perception_pending(self, pseudonym: str) -> str:
        """The closed case whose perception question (asked after the score) awaits this
        contact's reply."""
        return f"{self.prefix}:perception:{pseudonym}"

    def survey_call(self, reference: str) -> str:
        """The survey call after closure (a hash): attempts, state, the caller's keyed hash."""
        return f"{self.prefix}:case:{reference}:survey-call"

    def survey_call_offer(self, caller_key: str) -> str:
        """The closed case whose survey is offered when this number rings the line."""
        return f"{self.prefix}:survey-offer:{caller_key}"

    # Privacy (docs/privacy.md).
    def rasa_tracker(self, conversation_key: str) -> str:
        """Rasa's tracker of a conversation: endpoints.yml gives Rasa the prefix `asb`, and
        Rasa adds `tracker:` (the key does not follow ASB_KEY_PREFIX)."""
        return f"asb:tracker:{conversation_key}"

    def audit(self) -> str:
        """Who read or erased what, and when (a stream): references and keys, never details."""
        return f"{self.prefix}:audit"

    def dialogue_down_since(self) -> str:
        """When a gateway process first found the dialogue engine not answering (epoch
        seconds); gone once it answers again."""
        return f"{self.prefix}:health:dialogue-down-since"

    # Public neighbourhood summaries (bot/community): counts and published outcomes only.
    def community_counts(self, partnership: str, month: str) -> str:
        """A partnership's reports per district in one month (YYYY-MM), kept a few minutes
        so the public pages cannot be used to load the case store."""
        return f"{self.prefix}:community:{partnership}:{month}:counts"

    def community_outcomes(self, partnership: str, district: str, month: str) -> str:
        """The outcomes partners published for a district in a month ("you said, we did"):
        a hash, reference -> category and text."""
        return f"{self.prefix}:community:{partnership}:{district}:{month}:outcomes"

    def case_public_outcome(self, reference: str) -> str:
        """The name of the hash holding a case's published outcome, so that a later one
        replaces it and erasure finds it."""
        return f"{self.prefix}:case:{reference}:public-outcome"

    # Monthly neighbourhood updates (bot/community/subscriptions.py). Subscribers appear
    # only as keyed hashes of their number or address; the contact is sealed in the value.
    def updates_offer(self, subscriber: str) -> str:
        """The update offered with an acknowledgement (a hash: the sealed contact, channel,
        partnership, district), until it is taken or expires."""
        return f"{self.prefix}:updates:offer:{subscriber}"

    def updates_subscriber(self, subscriber: str) -> str:
        """One subscriber (a hash: the sealed contact, channel, partnership, district,
        subscribed_at)."""
        return f"{self.prefix}:updates:subscriber:{subscriber}"

    def updates_district(self, partnership: str, district: str) -> str:
        """The subscribers of one district (a set of keyed hashes)."""
        return f"{self.prefix}:updates:district:{partnership}:{district}"

    def updates_sent(self, month: str, subscriber: str) -> str:
        """A subscriber's update for one month (YYYY-MM), claimed before it is sent so that
        it goes at most once, then its outcome."""
        return f"{self.prefix}:updates:sent:{month}:{subscriber}"
