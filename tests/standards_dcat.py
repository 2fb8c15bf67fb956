"""The DCAT catalogue judged as data.europa.eu's validator (the ITB's DCAT-AP 3.0.1 validator) judges it,
offline: pyshacl with the official shapes of its validation types "v3.0.1.Full" (shapes.ttl, range.ttl,
shapes_recommended.ttl, deprecateduris.ttl) and "v3.0.1.Codelists" (mdr-vocabularies.shape.ttl).

The validator also loads background knowledge (imports.ttl, mdr_imports.ttl: the vocabularies and the
EU's authority tables) from the network; offline it is absent, so the catalogue states what the shapes
ask of each concept it uses (its table, type and label) itself.

`dcat_problems` returns one line per result of the report, violation or warning: the validation type,
the severity, the focus node, the path and the validator's message (with the messages of the nested
shapes that failed). A result the data cannot answer is left out when it matches an entry of
`allowed`; UNANSWERABLE lists those that hold for every portal of this generator, each with its
reason; NOT_GIVEN those of a portal whose configuration leaves a recommended property out (the
examples and the synthetic portal give no themes or contact). Importing this module reads nothing;
the shapes are read (once) on the first call.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES = {  # validation type -> its shape files, as ISAITB/validator-resources-dcat-ap configures it
    "Full": ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl"),
    "Codelists": ("mdr-vocabularies.shape.ttl",),
}
FOLDER = "dcat-ap-3.0.1"
DCATAP = "http://data.europa.eu/r5r#"  # the shapes' own namespace
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SQLITE_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/application/vnd.sqlite3"


@dataclass(frozen=True)
class Result:
    """One result of a validation report, as an allow-list entry reads it."""

    validation: str  # Full or Codelists
    severity: str  # Violation, Warning or Info
    focus: object  # an rdflib term
    path: str | None  # the property's IRI
    value: object | None
    message: str
    failed_in: frozenset[str]  # the named node shapes (DCATAP local names) the nested failures come from
    components: frozenset[str]  # the constraint components (local names) of the innermost failures


@dataclass(frozen=True)
class Allowed:
    """A result the data cannot answer: its name, why, and which results it covers."""

    name: str
    reason: str
    covers: Callable[[Result, object], bool]  # (result, the catalogue's graph) -> covered


PUBLISHER_NOT_AN_EU_BODY = Allowed(
    "publisher-not-an-eu-body",
    "The Codelists shapes warn when the publisher is not in the EU corporate-body table; DCAT-AP 3.0.1 says "
    "that table 'must be used for European institutions and a small set of international organisations', "
    "other publishers use other vocabularies. The portal's publisher is none of those.",
    lambda r, _: r.path == f"{DCT}publisher" and r.failed_in == {"CorporateBodyRestriction"},
)
SQLITE_HAS_NO_FILE_TYPE = Allowed(
    "sqlite-has-no-eu-file-type",
    "dct:format is recommended and must be a code of the EU file-type table, which has no code for an "
    "SQLite database (SQL is an SQL script, GPKG a GeoPackage): the SQLite distribution gives its IANA "
    "media type only.",
    lambda r, graph: (
        r.path == f"{DCT}format"
        and r.components == {"MinCountConstraintComponent"}
        and _media_type(graph, r.focus) == SQLITE_MEDIA_TYPE
    ),
)
UNANSWERABLE = (PUBLISHER_NOT_AN_EU_BODY, SQLITE_HAS_NO_FILE_TYPE)


def not_given(name: str, key: str, *paths: str) -> Allowed:
    """A recommended property the catalogue leaves out because the portal's configuration does not
    give it (a portal's choice, not the generator's: pass these only for such a portal)."""
    return Allowed(
        f"{name}-not-given",
        f"the configuration gives no {key}, so the catalogue leaves it out",
        lambda r, _: r.path in paths and r.components <= {"MinCountConstraintComponent", "HasValueConstraintComponent"},
    )


PUBLISHER_TYPE_NOT_GIVEN = not_given("publisher-type", "package.yml publisher.type", f"{DCT}type")
THEMES_NOT_GIVEN = not_given("themes", "package.yml themes", f"{DCAT}theme", f"{DCAT}themeTaxonomy")
CONTACT_NOT_GIVEN = not_given("contact", "package.yml contact", f"{DCAT}contactPoint")
SPATIAL_NOT_GIVEN = not_given("spatial", "site.yml spatial", f"{DCT}spatial")
NOT_GIVEN = (PUBLISHER_TYPE_NOT_GIVEN, THEMES_NOT_GIVEN, CONTACT_NOT_GIVEN, SPATIAL_NOT_GIVEN)


def dcat_problems(catalog: Path, standards: Path, allowed: Iterable[Allowed] = UNANSWERABLE) -> list[str]:
    """Every violation and warning of the catalogue (JSON-LD, its @context inline) under the Full and
    Codelists validations, one line each, but those an entry of allowed covers; [] is a pass."""
    import pyshacl
    from rdflib import Graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own use of its ConjunctiveGraph
        data = Graph().parse(data=Path(catalog).read_text(encoding="utf-8"), format="json-ld")
    allowed = tuple(allowed)
    lines = []
    for validation in SHAPES:
        shapes = _shapes(Path(standards), validation)
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
        for result in _results(report, validation, shapes):
            if not any(entry.covers(result, data) for entry in allowed):
                lines.append(_line(result, data))
    return sorted(lines)


@cache
def _shapes(standards: Path, validation: str):
    from rdflib import Graph

    graph = Graph()
    for name in SHAPES[validation]:
        graph.parse(standards / FOLDER / name, format="turtle")
    return graph


def _results(report, validation: str, shapes) -> list[Result]:
    """The report's top-level results (the nested ones, sh:detail, are read as their causes)."""
    from rdflib import URIRef

    def one(node, name):
        return report.value(node, URIRef(SH + name))

    owner = _shape_owners(shapes)
    out = []
    for (node,) in report.query(f"SELECT ?r WHERE {{ ?report <{SH}result> ?r }}"):
        leaves = _leaves(report, node)
        failed_in = frozenset(filter(None, (owner.get(one(leaf, "sourceShape")) for leaf in leaves if leaf != node)))
        components = frozenset(str(one(leaf, "sourceConstraintComponent")).rpartition("#")[2] for leaf in leaves)
        messages = [str(one(node, "resultMessage") or "")]
        messages += sorted({str(one(leaf, "resultMessage")) for leaf in leaves if leaf != node})
        path = one(node, "resultPath")
        out.append(
            Result(
                validation,
                str(one(node, "resultSeverity")).rpartition("#")[2],
                one(node, "focusNode"),
                str(path) if path is not None else None,
                one(node, "value"),
                "; ".join(m for m in messages if m),
                failed_in,
                components,
            )
        )
    return out


def _leaves(report, node) -> list:
    """The innermost results under a result (itself when it has none)."""
    from rdflib import URIRef

    details = list(report.objects(node, URIRef(SH + "detail")))
    return [leaf for detail in details for leaf in _leaves(report, detail)] if details else [node]


def _shape_owners(shapes) -> dict:
    """Each shape node -> the local name of the named node shape (in the shapes' namespace) it is or is a
    property of."""
    from rdflib import URIRef

    owners = {}
    for subject in set(shapes.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(DCATAP):
            name = str(subject).removeprefix(DCATAP)
            owners[subject] = name
            for prop in shapes.objects(subject, URIRef(SH + "property")):
                owners[prop] = name
    return owners


def _media_type(graph, focus) -> str | None:
    from rdflib import URIRef

    value = graph.value(focus, URIRef(DCAT + "mediaType"))
    return str(value) if value is not None else None


def _line(result: Result, graph) -> str:
    from rdflib import RDF, BNode, URIRef

    def shown(term) -> str:
        if isinstance(term, BNode):  # a node without a name: shown by its type
            kind = graph.value(term, RDF.type)
            return f"[a {shown(kind)}]" if kind is not None else "[]"
        return term.n3(graph.namespace_manager) if term is not None else "-"

    path = shown(URIRef(result.path)) if result.path else "-"
    return f"{result.validation} {result.severity} {shown(result.focus)} {path}: {result.message}"
