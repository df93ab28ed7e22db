"""A checker of JSON-LD against the schema.org vocabulary kept in ../shared/standards."""

import json
from functools import cache

from conftest import shared_path

SCHEMA = "https://schema.org/"


@cache
def vocabulary():
    path = shared_path(
        "standards", "schemaorg", "data", "releases", "30.0", "schemaorg-current-https.jsonld"
    )
    graph = json.loads(path.read_text())["@graph"]

    def ids(value):
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        return [v["@id"].removeprefix("schema:") for v in values]

    classes, properties = {}, {}
    for node in graph:
        name = node["@id"].removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            classes[name] = ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in types:
            properties[name] = ids(node.get("schema:domainIncludes"))
    return classes, properties


def ancestors(cls, classes):
    seen, todo = set(), [cls]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(classes.get(current, []))
    return seen


def problems(node, path="$"):
    """Return what in ``node`` the vocabulary does not allow: unknown types, unknown
    properties, properties used on a type outside their domain."""
    classes, properties = vocabulary()
    found = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            found += problems(item, f"{path}[{i}]")
        return found
    if not isinstance(node, dict):
        return found
    kind = node.get("@type")
    if kind not in classes:
        return [f"{path}: unknown type {kind!r}"]
    lineage = ancestors(kind, classes)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in properties:
            found.append(f"{path}.{key}: not a schema.org property")
        elif not lineage & set(properties[key]):
            found.append(f"{path}.{key}: not a property of {kind}")
        found += problems(value, f"{path}.{key}")
    return found
