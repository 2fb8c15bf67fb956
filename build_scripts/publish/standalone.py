"""What a download of one indicator's rows needs to stand alone, away from the site: the indicator's
name and unit in each language, each source its rows cite (title, publisher, date, address, a
citation), the licence, the package and its version.

The CSV gets it as a CSVW metadata file beside it (<file>.csv-metadata.json, the name W3C's CSV on
the Web has tools look for); the workbook as its second sheet, 'info'. Both are made from the
published tables' column codes, like the rows themselves.
"""

from __future__ import annotations

import numpy as np

from ..config.site import SiteConfig
from ..data import schema
from ..data.columnar import Coded, positions_by_value, row_count

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
CSVW_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean", "date": "date"}


def rows_of(coded: Coded) -> list[dict[str, str]]:
    """A small table's rows as dicts, from its codes."""
    columns = {column: (codes, list(distinct)) for column, (codes, distinct) in coded.items()}
    return [{c: distinct[codes[i]] for c, (codes, distinct) in columns.items()} for i in range(row_count(coded))]


def citation(source: dict, languages: tuple[str, ...] = ()) -> str:
    """'Publisher [inferred] (2025-02-06 [inferred]). Title [en: its translation]. Archived copy: file
    (SHA-256 …).', in no language's words: a fact the curator inferred (sources.csv inferred) is marked,
    and each of the languages' translation of the title follows it, marked by its language."""
    inferred = set(source.get("inferred", "").split())

    def marked(words: str, fact: str) -> str:
        return f"{words} [inferred]" if fact in inferred else words

    publisher = marked(source["publisher"], "publisher") if source["publisher"] else "[publisher not printed]"
    published = marked(source["published"], "published") if source["published"] else "n.d."
    title = source["title"] + "".join(
        f" [{lang}: {source[f'translated_title_{lang}']}]"
        for lang in languages
        if lang != source.get("language") and source.get(f"translated_title_{lang}")
    )
    where = source["url"] or f"Archived copy {source['archive_file']} (SHA-256 {source['archive_sha256']})"
    return f"{publisher} ({published}). {title}. {where}."


class IndicatorMetadata:
    """The metadata of each indicator's download, made once for the CSVW files and the workbooks."""

    def __init__(self, metadata: dict, coded: dict[str, Coded], config: SiteConfig):
        self.metadata, self.languages, self.units = metadata, config.languages, config.units
        self.indicators = {row["indicator_id"]: row for row in rows_of(coded["indicators"])}
        self.sources = {row["source_id"]: row for row in rows_of(coded["sources"])}
        observations = coded["observations"]
        source_codes, source_ids = observations["source_id"]
        self.cited = {
            key: [source_ids[code] for code in np.unique(source_codes[positions]).tolist()]
            for key, positions in positions_by_value(observations, "indicator_id").items()
        }
        self.columns = list(observations)

    def csvw(self, indicator_id: str) -> dict:
        meta, indicator, languages = self.metadata, self.indicators[indicator_id], self.languages
        resource = schema.resource("observations")
        columns = []
        for column in self.columns:
            field = resource.field_def(column)
            columns.append(
                {
                    "name": column,
                    "titles": column,
                    "datatype": CSVW_TYPES.get(field.type, "string"),
                    "dc:description": field.description_en,
                    "required": resource.is_required(column),
                }
            )
        unit = self.units[indicator["unit"]]
        return {
            "@context": CSVW_CONTEXT,
            "url": f"{indicator_id}.csv",
            "dc:title": [{"@value": indicator[f"name_{lang}"], "@language": lang} for lang in languages],
            "dc:description": [
                {"@value": indicator[f"description_{lang}"], "@language": lang} for lang in self.languages
            ],
            "dc:identifier": indicator_id,
            # CSVW allows only prefixed names (of its context's prefixes) or IRIs as other properties
            "schema:unitCode": indicator["unit"],
            "schema:unitText": [{"@value": unit.names[lang], "@language": lang} for lang in languages],
            "dc:license": {"@id": meta["license"]["path"]},
            "dc:isPartOf": {
                "@type": "schema:Dataset",
                "schema:name": meta["name"],
                "schema:version": str(meta["version"]),
                "dc:issued": {"@value": str(meta["released"]), "@type": "xsd:date"},
            },
            "dc:creator": meta["creator"],
            "dc:source": [self._cited(source_id) for source_id in self.cited[indicator_id]],
            "tableSchema": {"columns": columns, "primaryKey": list(resource.primary_key)},
        }

    def _cited(self, source_id: str) -> dict:
        """A source the rows cite, as CSVW's common properties: its address as its @id, when it has one,
        and its facts; the ones the curator inferred named in an additional property 'inferred'."""
        source = self.sources[source_id]
        facts = {"dc:publisher": source["publisher"], "dc:date": source["published"]}
        inferred = source.get("inferred", "").split()
        return {
            **({"@id": source["url"]} if source["url"] else {}),
            "@type": "schema:CreativeWork",
            "dc:identifier": source_id,
            "dc:title": source["title"],
            **{key: value for key, value in facts.items() if value},
            "schema:citation": citation(source, self.languages),
            **(
                {
                    "schema:additionalProperty": {
                        "@type": "schema:PropertyValue",
                        "schema:propertyID": "inferred",
                        "schema:value": inferred,
                    }
                }
                if inferred
                else {}
            ),
        }

    def info_rows(self, indicator_id: str) -> list[tuple[str, str]]:
        """The workbook's 'info' sheet: name, value."""
        meta, indicator = self.metadata, self.indicators[indicator_id]
        rows = [("indicator_id", indicator_id)]
        rows += [(f"name_{lang}", indicator[f"name_{lang}"]) for lang in self.languages]
        rows += [(f"description_{lang}", indicator[f"description_{lang}"]) for lang in self.languages]
        rows += [
            ("unit", indicator["unit"]),
            *((f"unit_{lang}", self.units[indicator["unit"]].names[lang]) for lang in self.languages),
            ("license", f"{meta['license']['title']} ({meta['license']['path']})"),
            ("package", meta["name"]),
            ("version", f"{meta['version']} ({meta['released']})"),
            ("creator", meta["creator"]),
        ]
        for source_id in self.cited[indicator_id]:
            rows.append((f"source {source_id}", citation(self.sources[source_id], self.languages)))
        return rows
