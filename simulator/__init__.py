"""callsim: an offline voice-call training simulator for sales reps."""

__version__ = "0.1.0"
