"""The download formats: one entry each, read by everything that writes, links or describes a download.

A format is a kind of file of one scope: one file per resource (a whole table), one for the whole
package, or one per indicator, place or source (a slice of the observations, in the folder of that name
under downloads/). Its entry says where the file is (the name, then its extension; with gzip_when_bulk
'.gz' after it when the table is bulk: bulk.py), which function writes it (download_writers.py), and
what the readers say of it: the pages' label (a text key of build_scripts/site/texts/), the media type
and the EU file type (https://op.europa.eu/web/eu-vocabularies/concept-scheme/-/resource?uri=
http://publications.europa.eu/resource/authority/file-type) that the DCAT catalogue (distributions.py)
and the schema.org JSON-LD (jsonld.py) state, and the API's field that links it (api.py). The pages and
the catalogue list a scope's files in the entries' order.

A new format is one entry in FORMATS, its writer, and its label in each language's texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import bulk
from . import download_writers as write

RESOURCE, PACKAGE = "resource", "package"
INDICATOR, PLACE, SOURCE = "indicators", "places", "sources"  # a slice's scope is its folder under downloads/
SLICE_COLUMNS = {INDICATOR: "indicator_id", PLACE: "geo", SOURCE: "source_id"}  # a slice: the rows of one value
DATA_PACKAGE = "https://datapackage.org/standard/data-package/"
SQLITE_FILE_FORMAT = "https://www.sqlite.org/fileformat.html"
CSV, JSON, PARQUET = "text/csv", "application/json", "application/vnd.apache.parquet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Format:
    """One kind of download file. writer(downloads, format, name) writes it (download_writers.py): name is
    the resource's (scope RESOURCE), the package's (PACKAGE), or the sliced resource's (a slice scope:
    the writer writes every slice)."""

    scope: str
    key: str | None  # the text key of its label on the pages; None: the file's name is its label
    extension: str  # after the name: 'csv', 'excel.csv', 'csv-metadata.json'
    media_type: str  # IANA
    writer: Callable
    file_type: str | None = None  # its code in the EU file-type authority, None where the authority has none
    label: str = ""  # in its DCAT distribution's title: 'Observations (CSV)'
    title: str | None = None  # its DCAT distribution's whole title, in place of the package's title and label
    gzip_when_bulk: bool = False  # compressed ('.gz' after the extension) when the table is bulk (bulk.py)
    spreadsheet: bool = False  # a spreadsheet: not written past a sheet's row limit
    data: bool = True  # the data itself (a distribution in DCAT and JSON-LD); False: a file that describes others
    described: bool = False  # its size and SHA-256 are stated by the descriptor (datapackage.json) beside it
    conforms_to: str | None = None  # the standard the file follows (DCAT's dct:conformsTo)
    stem: str | None = None  # the file's name where it is fixed ('datapackage'), else the resource's or package's
    api_key: str | None = None  # the field of the API's document of the indicator or place that links it
    first: bool = False  # written before the other files (its writer may hand it to a process of its own)

    def path(self, name: str, bulk_table: bool = False) -> str:
        """The file's path under downloads/ for the resource, package or slice called name."""
        folder = f"{self.scope}/" if self.scope in SLICE_COLUMNS else ""
        gz = ".gz" if bulk_table and self.gzip_when_bulk else ""
        return f"{folder}{self.stem or name}.{self.extension}{gz}"


FORMATS = (
    # a table's files: the package's CSV as it is, for Excel, as a workbook, as typed JSON records, as Parquet
    Format(RESOURCE, "csv", "csv", CSV, write.csv, "CSV", "CSV", gzip_when_bulk=True, described=True),
    Format(RESOURCE, "excel_csv", "excel.csv", CSV, write.excel_csv, "CSV", "CSV, Excel", spreadsheet=True),
    Format(RESOURCE, "excel", "xlsx", XLSX, write.workbook, "XLSX", "XLSX", spreadsheet=True),
    # a bulk table's JSON is the longest to make after the database: first, in a process of its own
    Format(RESOURCE, "json", "json", JSON, write.json_records, "JSON", "JSON", gzip_when_bulk=True, first=True),
    Format(RESOURCE, "parquet", "parquet", PARQUET, write.parquet, "PARQUET", "Parquet"),
    # the whole package: the zip, its descriptor (which describes the files, holding no data), the database
    Format(
        PACKAGE, "zip", "zip", "application/zip", write.package_zip, "ZIP", "ZIP",
        conforms_to=DATA_PACKAGE, title="Frictionless data package (zip)",
    ),
    Format(PACKAGE, None, "json", JSON, write.descriptor, "JSON", data=False, stem="datapackage"),
    # the file-type authority has no code for an SQLite database (SQL is a script, GPKG a GeoPackage): the
    # distribution has no dct:format, its media type says what it is. The longest to make: first.
    Format(
        PACKAGE, "sqlite", "sqlite", "application/vnd.sqlite3", write.database, None, "SQLite",
        gzip_when_bulk=True, conforms_to=SQLITE_FILE_FORMAT, first=True,
    ),
    # the slices of the observations: an indicator's stay plain CSV and XLSX, as readers open them
    Format(INDICATOR, "rows_csv", "csv", CSV, write.slices, "CSV", api_key="csv_url"),
    Format(INDICATOR, "rows_xlsx", "xlsx", XLSX, write.indicator_workbooks, "XLSX"),
    Format(INDICATOR, "rows_metadata", "csv-metadata.json", "application/csvm+json", write.csvw, data=False),
    Format(PLACE, "all_rows_csv", "csv", CSV, write.slices, "CSV", gzip_when_bulk=True, api_key="csv_url"),
    Format(SOURCE, "all_rows_csv", "csv", CSV, write.slices, "CSV", gzip_when_bulk=True),
)  # fmt: skip


def of(scope: str) -> list[Format]:
    """The formats of a scope, in their order."""
    return [fmt for fmt in FORMATS if fmt.scope == scope]


def find(scope: str, key: str) -> Format:
    """The format of a scope whose label is the text key."""
    return next(fmt for fmt in FORMATS if fmt.scope == scope and fmt.key == key)


def slice_csv(scope: str) -> Format:
    """A slice scope's CSV: the slices every other file of the scope is made beside."""
    return next(fmt for fmt in of(scope) if fmt.extension == "csv")


def is_bulk(scope: str, name: str, files: dict[str, bytes]) -> bool:
    """Whether the files of the resource, package or slice called name are compressed (bulk.py): a
    resource's by its own size, the package's if any table is bulk, a slice's if the sliced table is."""
    if scope == RESOURCE:
        return name in files and bulk.is_bulk(files, name)
    if scope == PACKAGE:
        return any(bulk.is_bulk(files, table) for table in files)
    return bulk.SLICED in files and bulk.is_bulk(files, bulk.SLICED)


def path_of(fmt: Format, name: str, files: dict[str, bytes]) -> str:
    """The format's file for the resource, package or slice called name (files: resource -> its CSV's bytes)."""
    return fmt.path(name, is_bulk(fmt.scope, name, files))


def downloads(scope: str, name: str, files: dict[str, bytes], rows: int = 0) -> list[tuple[Format, str]]:
    """Each format of the scope with its file for name, in their order, as the pages list them: a
    spreadsheet only up to a sheet's rows (rows: the table's or the slice's)."""
    return [
        (fmt, path_of(fmt, name, files)) for fmt in of(scope) if not (fmt.spreadsheet and rows > bulk.EXCEL_MAX_ROWS)
    ]


def data_files(scope: str, name: str, files: dict[str, bytes], rows: int = 0) -> list[str]:
    """The files of downloads() that hold the data (not a file that describes others)."""
    return [path for fmt, path in downloads(scope, name, files, rows) if fmt.data]


def api_links(scope: str, name: str, site_url: str, files: dict[str, bytes] | None = None) -> dict[str, str]:
    """The API's fields that link the slice's files: field -> absolute URL."""
    return {fmt.api_key: f"{site_url}downloads/{path_of(fmt, name, files or {})}" for fmt in of(scope) if fmt.api_key}


def media_type(file: str) -> str | None:
    """The media type of a download file by its extension (the longest that matches), None if no format's."""
    matching = [fmt for fmt in FORMATS if file.endswith(f".{fmt.extension}")]
    return max(matching, key=lambda fmt: len(fmt.extension)).media_type if matching else None
