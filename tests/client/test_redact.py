"""Secret masking."""

import pytest

from aioxuc.redact import Redactor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("password is s3cr3t!", "password is ***"),
        (
            "ws://h:8090/xuc/api/2.0/cti?token=abc.DEF",
            "ws://h:8090/xuc/api/2.0/cti?token=***",
        ),
        (
            '{"login":"alice","password":"s3cr3t!"}',
            '{"login":"alice","password":"***"}',
        ),
        ("Authorization: Bearer abc.DEF", "Authorization: Bearer ***"),
        ("quoted s3cr3t%21 and escaped", "quoted *** and escaped"),
        ('{"token": "unknown-token"}', '{"token": "***"}'),
        ("token=other&x=1", "token=***&x=1"),
        ('{"name":"x","password":"sip-pass"}', '{"name":"x","password":"***"}'),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_masks_secrets(text: str, expected: str) -> None:
    """Known secrets and secret-shaped fields are masked."""
    redact = Redactor("s3cr3t!")
    redact.add_token("abc.DEF")
    assert redact(text) == expected


def test_json_escaped_password() -> None:
    """A password with quotes is masked in its JSON-escaped form too."""
    redact = Redactor('pa"ss')
    assert redact('body {"x": "pa\\"ss"}') == 'body {"x": "***"}'


def test_keeps_the_last_tokens() -> None:
    """Renewed tokens are all masked, within a bounded memory."""
    redact = Redactor()
    for number in range(20):
        redact.add_token(f"tok{number:02d}")
    assert redact("tok19 tok12") == "*** ***"
    assert redact("tok00") == "tok00"
