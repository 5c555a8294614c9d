"""A faithful simulator of the XiVO XuC CTI server, for tests and manual runs.

Start it with ``XucSimulator`` (or ``python -m tests.xuc_simulator``); tune the
server's behaviour through ``SimulatorConfig``; script users with ``Account``.

``SimulatorConfig.generation`` (``--generation``) plays a server generation:
2020, 2022 or nextlts (the default), see `generations`. Which frames are
documented, seen in XiVO's own clients or invented is in `provenance`.

Choices where the real server is undocumented (all configurable unless noted):

* Login errors: InvalidCredentials 401, InvalidJson 400 (also for a malformed body
  or missing/non-string login or password), UnhandledError 500; ``non_json`` is a
  502 nginx HTML page. ``TTL`` is in seconds. ``auth/check`` errors are
  TokenExpired 401; without renewal it returns the same token and its remaining
  TTL. Token expiry never closes an open websocket.
* Bad token on the upgrade: HTTP 401 with a JSON TokenExpired body by default;
  ``accept_close`` closes with 4001; LoggedOnError is followed by a close 1000.
* Ping reply: ``{"msgType":"Pong","ctiMessage":{}}``.
* Error frames are ``{"Error": text}``: ``Maximum throttle throughput exceeded.``,
  ``Unknown command: <name>``, ``Unknown message`` (no ``claz``), ``Invalid or
  missing '<arg>' in <command>``, ``No call to <command>``, ``No transfer to
  <command>``, ``User <name> has no line`` — all only with
  ``answer_unknown_commands_with_error`` — and, always, ``Unknown user status:
  <name>``. ``getConfig line`` for a user without a line gets no answer.
* AgentError frames are ``{"Error": code}``: the documented
  LoggedInOnAnotherPhone (with ``phoneNb`` and ``RequestedNb``, both the phone
  asked for, when another agent is logged in on it) and PhoneNumberUnknown
  (login on another number than the user's line), and the invented NotAnAgent,
  UnknownAgent (``agentid`` is not the user's agent) and AgentNotLoggedIn.
* Follow-ups go to every socket of the user; list and query answers only to the
  asking socket. PhoneStatusUpdate is sent when the derived line status changes.
  A second ``hold`` resumes; the last hangup of an agent on a call sends
  AgentOnWrapup then AgentReady; ``phoneNb`` is the string ``"null"`` when logged
  out. ``getAgentStates``/``getList`` also list a foreign agent (id 13).
* Throttle: token bucket per connection; the close after the Error is optional.
"""

from .accounts import Account, Call, contact, demo_account, history_entry
from .config import SimulatorConfig
from .messages import PHONE_STATUS_CODES
from .recording import ReceivedFrame
from .scenario import run_demo
from .server import THROTTLE_ERROR, XucSimulator

__all__ = [
    "PHONE_STATUS_CODES",
    "THROTTLE_ERROR",
    "Account",
    "Call",
    "ReceivedFrame",
    "SimulatorConfig",
    "XucSimulator",
    "contact",
    "demo_account",
    "history_entry",
    "run_demo",
]
