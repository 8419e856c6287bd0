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

    def job_queue(self) -> str:
        return f"{self.prefix}:jobs"
