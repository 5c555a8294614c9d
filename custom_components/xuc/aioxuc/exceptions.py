"""Errors raised by the XuC client."""


class XucError(Exception):
    """Base class of every XuC client error."""


class XucConnectionError(XucError):
    """The server could not be reached or the link failed."""


class XucTimeoutError(XucConnectionError):
    """The server did not answer in time."""


class XucConnectionClosedError(XucConnectionError):
    """The websocket closed."""


class XucLoggedOnError(XucConnectionError):
    """The server accepted the websocket but refused to open the CTI session."""


class XucUnsupportedServerError(XucConnectionError):
    """The server does not offer the API this client needs (too old, or not XuC)."""


class XucAuthenticationError(XucError):
    """The server rejected the credentials."""


class XucNotConnectedError(XucError):
    """A command was sent while no session is open."""


class XucRateLimitedError(XucError):
    """A command could not be sent within the throttle's bounded wait."""


class XucCommandError(XucError):
    """The server answered a request with an error, or not at all."""


class XucRefusedError(XucCommandError):
    """The server refused a command (Error or AgentError frame).

    `reason` is the server's text or code (e.g. LoggedInOnAnotherPhone);
    `phone_number` and `requested_number` come with an agent login refusal.
    """

    def __init__(
        self,
        reason: str,
        *,
        phone_number: str | None = None,
        requested_number: str | None = None,
    ) -> None:
        """Keep the server's reason and the numbers it named."""
        super().__init__(reason)
        self.reason = reason
        self.phone_number = phone_number
        self.requested_number = requested_number
