"""Schemathesis checks of the contract's error answers (CONTRACT.md, "HTTP").

Loaded through SCHEMATHESIS_HOOKS by the badinput-http suite. Beside schemathesis' own
not_a_server_error (no 5xx), every 4xx answer must be RFC 9457 application/problem+json, and a
validation error must name each bad field: a name the API knows (a parameter, a property of a
schema in the API document, a key of the request body) or the body itself.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import schemathesis

PROBLEM_JSON = "application/problem+json"
# Names that stand for the request as a whole rather than one of its fields.
WHOLE_REQUEST = {"body", "content-type"}
# What answers a request that is valid as a whole but cannot be carried out (not found, conflict):
# problem details, but no field to name.
VALIDATION_STATUSES = {400, 422}

_known_names: dict[int, frozenset[str]] = {}

# order-service waits (ORDER_USER_WAIT, 5 s) for the sign-up of a user it does not know before it
# answers 422: a valid order for a made-up user costs 5 s. So valid order bodies name a user who
# signed up (the suite signs one up and passes its id), all but a few that keep their made-up id
# and go down the unknown-user path.
KNOWN_USER_ID = os.environ.get("BADINPUT_KNOWN_USER_ID", "")
UNKNOWN_USER_BUDGET = 3
_unknown_users_sent = 0


def _walk_names(node: Any, names: set[str]) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            names.update(str(k).lower() for k in properties)
        if node.get("in") in {"query", "path", "header", "cookie"} and isinstance(node.get("name"), str):
            names.add(node["name"].lower())
        for value in node.values():
            _walk_names(value, names)
    elif isinstance(node, list):
        for value in node:
            _walk_names(value, names)


def _schema_names(case: Any) -> frozenset[str]:
    """Every property and parameter name in the API document (cached per document)."""
    raw = case.operation.schema.raw_schema
    key = id(raw)
    if key not in _known_names:
        names: set[str] = set()
        _walk_names(raw, names)
        _known_names[key] = frozenset(names)
    return _known_names[key]


def _body_keys(body: Any, names: set[str]) -> None:
    if isinstance(body, dict):
        for k, v in body.items():
            names.add(str(k).lower())
            _body_keys(v, names)
    elif isinstance(body, list):
        for v in body:
            _body_keys(v, names)


def _segments(field: str) -> list[str]:
    """`items[0].quantity` -> ["items", "quantity"]: the names along the path, indexes dropped."""
    return [s.lower() for s in re.split(r"[.\[\]]+", field) if s != "" and not s.isdigit()]


def _is_negative(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    if meta is None:
        return False
    return any(str(c.mode.value) == "negative" for c in meta.components.values())


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    global _unknown_users_sent
    body = case.body
    if KNOWN_USER_ID == "" or not isinstance(body, dict) or not isinstance(body.get("user_id"), str):
        return
    meta = getattr(case, "meta", None)
    body_info = None if meta is None else next((c for loc, c in meta.components.items() if str(getattr(loc, "value", loc)) == "body"), None)
    if body_info is None or str(body_info.mode.value) != "positive":
        return
    if _unknown_users_sent < UNKNOWN_USER_BUDGET:
        _unknown_users_sent += 1
        return
    case.body = {**body, "user_id": KNOWN_USER_ID}


@schemathesis.check
def problem_details_for_client_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx is problem+json with type, title, status and detail; a validation error names each bad field."""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.lower().startswith(PROBLEM_JSON):
        raise AssertionError(f"{status} answered as {content_type or 'no content type'}, not {PROBLEM_JSON}")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{status} problem body is not JSON: {error}") from None
    if not isinstance(problem, dict):
        raise AssertionError(f"{status} problem body is not a JSON object")
    missing = [k for k in ("type", "title", "detail") if not isinstance(problem.get(k), str)]
    if missing:
        raise AssertionError(f"{status} problem lacks the string member(s) {', '.join(missing)}")
    if problem.get("status") != status:
        raise AssertionError(f"problem status {problem.get('status')!r} differs from the HTTP status {status}")

    errors = problem.get("errors")
    if errors is None:
        # A negative case changed a field; a 400/422 for it must say which.
        if status in VALIDATION_STATUSES and _is_negative(case):
            raise AssertionError(f"{status} for invalid input without an `errors` list naming the bad field(s)")
        return None
    if not isinstance(errors, list) or not errors:
        raise AssertionError(f"{status} problem has `errors` but not a non-empty list: {errors!r}")
    known = set(_schema_names(case)) | WHOLE_REQUEST
    _body_keys(case.body if not isinstance(case.body, (bytes, str)) else None, known)
    known.update(str(k).lower() for k in (case.query or {}))
    known.update(str(k).lower() for k in (case.headers or {}))
    for entry in errors:
        if not isinstance(entry, dict) or not isinstance(entry.get("field"), str) or not isinstance(entry.get("message"), str):
            raise AssertionError(f"an `errors` entry is not {{field, message}} strings: {entry!r}")
        segments = _segments(entry["field"])
        if not segments:
            raise AssertionError(f"an `errors` entry names no field: {entry!r}")
        unknown = [s for s in segments if s not in known]
        if unknown:
            raise AssertionError(f"`errors` names {entry['field']!r}, which is not a field of this request or API")
    return None
