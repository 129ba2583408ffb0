"""Fake Vapi + Twilio upstream; see fake_upstream.py / README.md."""
from .fake_upstream import *  # noqa: F401,F403
from .fake_upstream import FakeUpstream, main  # noqa: F401
