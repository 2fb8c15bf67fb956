"""Stage 3b: the downloads: every format of the registry (formats.py) of each resource, of the
observations' slices by indicator, place and source, and of the whole package, each written by its
writer (download_writers.py) from the tables as the package publishes them. Byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from ..config.site import SiteConfig
from ..data import schema
from ..data.columnar import row_count
from ..data.package import Published
from . import download_writers, formats
from .bulk import SLICED
from .download_writers import Downloads, TableRows  # noqa: F401 - tests import it from here
from .kept_downloads import KeptDownloads, shared_digest
from .zips import fixed_zip_time


def write_downloads(
    config: SiteConfig, out: Path, metadata: dict, published: dict[str, Published], kept_folder: Path | None = None
) -> dict[str, int]:
    """Write every download, from each table as the package publishes it; returns how many files of
    each kind were written. With kept_folder, a file whose inputs did not change since the last build
    is linked from it instead of made again (kept_downloads.py), and a large one whose rows changed is
    made of the last build's blocks where they are unchanged (blocks.py).

    The formats marked first are written first (their writers hand them to processes of their own): the
    package's before the resources', each resource's before its others; the package's others last (the
    descriptor reads the tables' files)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {name: table.content for name, table in published.items()}
    zip_time = fixed_zip_time()
    kept = KeptDownloads(kept_folder, out, shared_digest(config.raw, metadata, files, zip_time))
    downloads = Downloads(config, kept, metadata, published, datetime.datetime(*zip_time), kept_folder, formats)
    for table in downloads.rows.values():  # before the database's process forks: it and the split CSVs read them
        table.blocks  # noqa: B018 - a cached property, and the row hashes it is cut by

    package = formats.of(formats.PACKAGE)
    for fmt in [fmt for fmt in package if fmt.first]:
        fmt.writer(downloads, fmt, metadata["name"])
    for resource in schema.resources():
        name = resource.name
        listed = formats.downloads(formats.RESOURCE, name, files, row_count(published[name].coded))
        for fmt, _ in sorted(listed, key=lambda listed: not listed[0].first):
            fmt.writer(downloads, fmt, name)
        if name == SLICED:
            for fmt in [fmt for fmt in formats.FORMATS if fmt.scope in formats.SLICE_COLUMNS]:
                fmt.writer(downloads, fmt, name)
    for fmt in [fmt for fmt in package if not fmt.first]:
        fmt.writer(downloads, fmt, metadata["name"])
    kept.finish()
    counts = downloads.counts
    counts["made again"] = kept.made
    counts["kept"] = kept.linked
    counts["blocks made again"], counts["blocks"] = kept.blocks_made
    counts["slowest"] = kept.slowest()
    return counts


def _split_csvs(kept, rows: TableRows, files: dict[str, bytes]) -> dict[str, str]:
    """The observations' slices by indicator, place and source, each at its CSV format's path."""
    return download_writers._split_csvs(
        kept, rows, formats.SLICE_COLUMNS, lambda folder, key: formats.path_of(formats.slice_csv(folder), key, files)
    )
