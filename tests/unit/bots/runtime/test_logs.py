"""Logs carry event names and opaque ids; other libraries' payloads never reach them."""

import io
import logging

from bots.runtime.logs import WithholdThirdPartyText


def _emit(name: str, level: int, message: str, *args, exc=None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(WithholdThirdPartyText())
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        if exc is not None:
            try:
                raise exc
            except Exception:
                logger.exception(message, *args)
        else:
            logger.log(level, message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_failed_slack_signature_check_does_not_log_the_request_body():
    body = "text=my+manager+Dana+Smith&user_id=U123ALICE"
    out = _emit("slack_bolt.RequestVerification", logging.INFO,
                "Invalid request signature detected (signature: x, timestamp: 1, body: %s)", body)
    assert out == ""


def test_a_library_warning_keeps_its_logger_and_error_type_but_not_its_text():
    out = _emit("discord.client", logging.ERROR, "Ignoring exception in %s", "on_message",
                exc=ValueError("@everyone the rota leaves no rest, signed U123ALICE"))
    assert "discord.client" not in out or "withheld" in out
    assert "withheld" in out and "ValueError" in out
    assert "U123ALICE" not in out and "rota" not in out and "Traceback" not in out


def test_debug_payloads_of_chat_libraries_are_dropped():
    out = _emit("slack_sdk.web.async_base_client", logging.DEBUG,
                "Sending a request - url: %s, json: %s", "chat.postMessage", {"text": "secret"})
    assert out == ""


def test_our_own_event_lines_pass_unchanged():
    out = _emit("concerted.dispatch", logging.INFO, "command.refused command=%s", "campaign.join")
    assert "command.refused command=campaign.join" in out
