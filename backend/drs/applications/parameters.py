"""An application's parameters: the JSON Schema that declares them, the values a
submission gives, and how those values are written into argv items and environment
values. Pure functions over plain data: no database, no HTTP.

The messages here are the ones the SPA's form shows too (frontend
`features/applications/validator.ts` checks the same rules in the same words), so a
user reads the same sentence before and after submitting."""

from __future__ import annotations

import json
import posixpath
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}\Z")
PROPERTY_TYPES = {"string", "integer", "number", "boolean"}
PROPERTY_KEYS = {
    "type", "title", "description", "default", "enum", "minimum", "maximum", "pattern",
    "format", "x-path",
}  # fmt: skip
SCHEMA_KEYS = {"$schema", "type", "title", "description", "properties", "required"}
MAX_PARAMETERS = 100
# `{name}` is replaced by the parameter's value; `{{` and `}}` stand for literal braces.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")

Errors = dict[str, list[str]]


class ParameterErrors(Exception):
    """Values that do not fit the schema: messages by parameter name."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


def schema_errors(schema: Any) -> list[str]:
    """Why `schema` cannot declare an application's parameters ([] when it can): it must
    be a valid JSON Schema (checked against the 2020-12 metaschema) and stay within what
    a form and an argv item can carry."""
    if not isinstance(schema, dict):
        return ["Must be a JSON Schema object."]
    if schema.get("type") != "object":
        return ['The schema\'s "type" must be "object".']
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path)
        return [f"Not a valid JSON Schema{f' at {where}' if where else ''}: {exc.message}"]
    errors = [f'Unsupported schema keyword "{key}".' for key in sorted(set(schema) - SCHEMA_KEYS)]
    properties = schema.get("properties", {})
    if len(properties) > MAX_PARAMETERS:
        errors.append(f"At most {MAX_PARAMETERS} parameters.")
    for name, prop in properties.items():
        errors += [f"{name}: {message}" for message in _property_errors(name, prop)]
    errors += [
        f'"required" names {name!r}, which is not a parameter.'
        for name in schema.get("required", [])
        if name not in properties
    ]
    return errors


def _property_errors(name: str, prop: Any) -> list[str]:
    if not NAME.fullmatch(name):
        return ["A parameter name uses letters, digits and _, not starting with a digit."]
    if not isinstance(prop, dict):
        return ["Must be an object."]
    errors = [f'Unsupported keyword "{key}".' for key in sorted(set(prop) - PROPERTY_KEYS)]
    kind = prop.get("type")
    if kind not in PROPERTY_TYPES:
        return [*errors, f'"type" must be one of {", ".join(sorted(PROPERTY_TYPES))}.']
    if "format" in prop and (prop["format"] != "file" or kind != "string"):
        errors.append('The only "format" is "file", on a string.')
    if is_file(prop):
        errors += [
            f'A file parameter takes no "{key}".'
            for key in ("enum", "pattern", "default", "minimum", "maximum")
            if key in prop
        ]
        if "x-path" in prop and (error := relative_path_error(prop["x-path"])):
            errors.append(f'"x-path": {error}')
    elif "x-path" in prop:
        errors.append('"x-path" is for file parameters.')
    if kind not in ("integer", "number"):
        errors += [f'"{key}" is for numbers.' for key in ("minimum", "maximum") if key in prop]
    if kind != "string" and "pattern" in prop:
        errors.append('"pattern" is for strings.')
    if "pattern" in prop:
        try:
            re.compile(prop["pattern"])
        except re.error as exc:
            errors.append(f'"pattern" is not a regular expression: {exc}.')
    if "default" in prop and not errors:
        errors += [f'"default": {m}' for m in value_errors(prop, prop["default"])]
    return errors


def is_file(prop: Mapping[str, Any]) -> bool:
    return prop.get("format") == "file"


def relative_path_error(path: Any) -> str | None:
    if not isinstance(path, str) or not path or len(path.encode()) > 255:
        return "a relative path of 1 to 255 bytes."
    if path.startswith("/") or "\0" in path or "\n" in path:
        return "a relative path without NUL or line breaks."
    if ".." in path.split("/") or posixpath.normpath(path) in (".", ""):
        return "a relative path without '..'."
    return None


def value_errors(prop: Mapping[str, Any], value: Any) -> list[str]:
    """One parameter's value against its declaration (by jsonschema), in the form's words."""
    if prop.get("type") == "boolean" and not isinstance(value, bool):
        return [TYPE_MESSAGES["boolean"]]
    errors = []
    for error in Draft202012Validator(dict(prop)).iter_errors(value):
        keyword = str(error.validator)
        if keyword == "type":
            return [TYPE_MESSAGES[prop["type"]]]
        if keyword == "enum":
            choices = ", ".join(render_value(v) for v in prop["enum"])
            errors.append(f"Must be one of: {choices}.")
        elif keyword == "minimum":
            errors.append(f"Must be at least {render_value(prop['minimum'])}.")
        elif keyword == "maximum":
            errors.append(f"Must be at most {render_value(prop['maximum'])}.")
        elif keyword == "pattern":
            errors.append(f"Must match the pattern {prop['pattern']}.")
        else:
            errors.append(error.message)
    if not errors and is_file(prop) and not _is_uuid(value):
        errors.append("Must be the id of an uploaded file.")
    return errors


TYPE_MESSAGES = {
    "string": "Must be a string.",
    "integer": "Must be an integer.",
    "number": "Must be a number.",
    "boolean": "Must be true or false.",
}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def validate(schema: Mapping[str, Any], values: Any) -> dict[str, Any]:
    """The values a job runs with: defaults filled, integers as integers. Raises
    ParameterErrors naming every parameter that is missing, unknown or out of bounds."""
    if not isinstance(values, dict):
        raise ParameterErrors({"non_field_errors": ["Must be an object of parameter values."]})
    properties: Mapping[str, Any] = schema.get("properties", {})
    errors: Errors = {name: ["Unknown parameter."] for name in values if name not in properties}
    filled: dict[str, Any] = {}
    for name, prop in properties.items():
        if name in values and values[name] is not None:
            value = values[name]
        elif "default" in prop:
            value = prop["default"]
        else:
            if name in schema.get("required", ()):
                errors[name] = ["This parameter is required."]
            continue
        if messages := value_errors(prop, value):
            errors[name] = messages
            continue
        filled[name] = int(value) if prop["type"] == "integer" else value
    if errors:
        raise ParameterErrors(errors)
    return filled


def render_value(value: Any) -> str:
    """A value as one argv item: strings as they are, numbers as JSON writes them,
    booleans `true`/`false`."""
    return value if isinstance(value, str) else json.dumps(value)


def placeholders(template: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER.finditer(template) if m.group(1)}


def render(template: str, values: Mapping[str, str]) -> str:
    """Each `{name}` replaced by its value, inside this one string (an argv item or an
    environment value: never a shell line). A parameter without a value renders empty."""

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        return values.get(match.group(1), "")

    return PLACEHOLDER.sub(replace, template)


def template_errors(templates: Iterable[str], schema: Mapping[str, Any]) -> list[str]:
    known = set(schema.get("properties", {}))
    unknown = sorted({name for t in templates for name in placeholders(t)} - known)
    return [f"{{{name}}} names no parameter." for name in unknown]
