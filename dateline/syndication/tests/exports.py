"""Validators for the partner formats, reading the IPTC schemas from ../shared at test time."""

import json

from jsonschema import Draft202012Validator
from lxml import etree
from referencing import Registry, Resource

from conftest import shared_path

GEOJSON_ID = "https://geojson.org/schema/GeoJSON.json"


def ninjs_errors(document: dict, version: str) -> list[str]:
    """Return the ways ``document`` breaks the ninjs ``version`` schema (empty when valid)."""
    folder = shared_path("standards", "ninjs")
    schema = json.loads((folder / "specification" / f"ninjs-schema_{version}.json").read_text())
    geojson = json.loads((folder / "validation" / "test_suite" / "GeoJSON-schema.json").read_text())
    # ninjs names GeoJSON's schema by its web address; the registry answers it from ../shared.
    registry = Registry().with_resource(GEOJSON_ID, Resource.from_contents(geojson))
    validator = Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


_newsml_schema = None


def newsml_errors(document: bytes) -> list[str]:
    """Return the ways ``document`` breaks the NewsML-G2 2.35 schema (empty when valid)."""
    global _newsml_schema
    if _newsml_schema is None:
        path = shared_path(
            "standards", "newsmlg2", "specification", "NewsML-G2_2.35-spec-All-Power.xsd"
        )
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _newsml_schema = etree.XMLSchema(etree.parse(str(path), parser))
    tree = etree.fromstring(document, etree.XMLParser(no_network=True, resolve_entities=False))
    if _newsml_schema.validate(tree):
        return []
    return [str(e) for e in _newsml_schema.error_log]
