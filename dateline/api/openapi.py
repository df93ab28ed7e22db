"""What the OpenAPI document says beyond each route's own answers: how partners identify
themselves, and the answers every route can give (401 for a bad key, 422 for malformed
parameters, 429 past the rate limit)."""

from copy import deepcopy

from dateline.api.schemas import ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
VALIDATION_ERROR = {
    "title": "ValidationErrorOut",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "loc", "msg"],
                "properties": {
                    "type": {"type": "string"},
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                },
            },
        }
    },
}
SCHEME_DESCRIPTIONS = {
    "ApiKeyHeader": (
        "A partner's API key, issued by the newsroom, in the `X-Api-Key` header. Optional: "
        "without a key the API answers anonymously, with a lower rate limit per address."
    ),
    "ApiKeyBearer": "The same API key as a bearer token: `Authorization: Bearer <key>`.",
}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


UNAUTHORISED = {
    "description": "The API key sent is not valid, or has been revoked. Requests without a key "
    "are answered anonymously instead.",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    "content": _json(ERROR_REF),
}
TOO_MANY = {
    "description": "Too many requests this minute for this key (or, without a key, this "
    "address). Retry-After says in how many seconds to try again.",
    "headers": {
        "Retry-After": {
            "description": "Seconds until the client's next minute begins.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 60},
        }
    },
    "content": _json(ERROR_REF),
}
MALFORMED = {
    "description": "A parameter has the wrong type or is out of range; `loc` names it.",
    "content": _json({"$ref": "#/components/schemas/ValidationErrorOut"}),
}


def document_access(schema: dict) -> dict:
    """Return the OpenAPI ``schema`` with the API key's security schemes made optional, and
    the 401, 422 and 429 answers of every operation."""
    schema = deepcopy(schema)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.setdefault("ErrorOut", ErrorOut.model_json_schema())
    schemas["ValidationErrorOut"] = VALIDATION_ERROR
    for name, scheme in components.get("securitySchemes", {}).items():
        if name in SCHEME_DESCRIPTIONS:
            scheme["description"] = SCHEME_DESCRIPTIONS[name]
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            security = operation.get("security")
            if security is None:
                continue
            if {} not in security:
                security.append({})  # an empty requirement: anonymous access is allowed
            responses = operation.setdefault("responses", {})
            responses.setdefault(401, UNAUTHORISED)
            responses.setdefault(429, TOO_MANY)
            if operation.get("parameters"):
                responses.setdefault(422, MALFORMED)
    return schema
