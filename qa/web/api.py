"""The REST API's arguments, checked before Gradio sees them.

What it does: says what ``/gradio_api/call/ask`` and ``/gradio_api/call/verify``
take -- ``ask``: a question and an optional whole-number ``top_k``; ``verify``: a
quote and an optional speaker -- and checks a request body against it, so a
call with too few or too many arguments, or a ``top_k`` of ``3.7``, ``"3"`` or
``true``, gets one line saying what is wrong (HTTP 422) instead of Gradio's
``{"error": null}`` and a traceback in the server log. Optional arguments
left out are filled in, so ``{"data": ["question"]}`` works.

What it does not do: check the values' contents (length, emptiness: the
handlers do, with the same messages as the CLI).

>>> check_call("ask", b'{"data": ["Why?"]}')
(b'{"data": ["Why?", null]}', None)
>>> check_call("ask", b'{"data": ["Why?", 3.7]}')[1]
'top_k must be a whole number or null, not 3.7'
>>> check_call("verify", b'{"data": ["a", "b", "c"]}')[1]
'verify takes 1 to 2 arguments (quote, speaker), not 3'
"""

from __future__ import annotations

import json

# name -> ((argument, JSON type it must have, required), ...), in the order the handlers take them
ARGUMENTS = {
    "ask": (("question", str, True), ("top_k", int, False)),
    "verify": (("quote", str, True), ("speaker", str, False)),
}
_TYPE_NAMES = {str: "text", int: "a whole number"}


def bad_value(arg: str, kind: type, value, required: bool = False) -> str | None:
    """Why ``value`` is not of JSON type ``kind`` (or null, where not ``required``), or None."""
    if (value is None and not required) or (isinstance(value, kind) and not isinstance(value, bool)):
        return None
    if value is None:
        return f"{arg} is required"
    return f"{arg} must be {_TYPE_NAMES[kind]}{'' if required else ' or null'}, not {json.dumps(value)[:40]}"


def check_call(name: str, body: bytes) -> tuple[bytes, str | None]:
    """The body to hand on (optional arguments filled in), or the reason to refuse it."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return body, "the request body is not JSON"
    data = payload.get("data") if isinstance(payload, dict) else None
    spec = ARGUMENTS[name]
    if not isinstance(data, list):
        return body, f'the request body must be {{"data": [...]}} with {name}\'s arguments'
    required = sum(1 for _, _, needed in spec if needed)
    if not required <= len(data) <= len(spec):
        names = ", ".join(arg for arg, _, _ in spec)
        return body, f"{name} takes {required} to {len(spec)} arguments ({names}), not {len(data)}"
    for (arg, kind, needed), value in zip(spec, data):
        problem = bad_value(arg, kind, value, required=needed)
        if problem:
            return body, problem
    payload["data"] = data + [None] * (len(spec) - len(data))
    return json.dumps(payload).encode(), None
