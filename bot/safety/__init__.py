"""Safety: every message judged before anything else, on every channel, with Rasa up or down.

Owns the safety model (corpus, training, the verdict: flag, ask or clear, with evidence),
the danger question, the emergency desk, the flags a conversation carries and the victim
risk assessment. Imports partnerships, privacy and platform only; cases import it.
"""
