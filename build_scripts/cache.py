"""What a rebuild may skip: a fingerprint of everything every page shows (the generator's code and
texts, site.yml, the small tables, the release history), and a cache of what each page and chart was
made from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import state
from .publish.releases import Freshness

# Code whose change must regenerate every page and chart description: all of it. A list of the
# modules that pages read missed some (charts.py states each chart's size on the pages; summaries.py
# counts their rows), and a local rebuild after a change kept stale pages and charts.
CODE = Path(__file__).resolve().parent


# The generator's code and texts, in every folder: a change to any of them may change any page
GENERATOR_FILES = tuple(sorted(p.relative_to(CODE) for p in CODE.rglob("*") if p.suffix in (".py", ".yml")))


def shared_fingerprint(portal, history: Freshness, overview: list[dict]) -> str:
    """A hash of everything every page may show: code, metadata, the small tables, the release history."""
    digest = hashlib.sha256()
    for name in GENERATOR_FILES:
        digest.update((CODE / name).read_bytes())
    digest.update(portal.config.raw)  # the site's configuration: its words, units, places
    for name in ("indicators", "places", "sources", "events"):
        digest.update(portal.files[name])
    digest.update(
        json.dumps(
            [
                portal.metadata,
                overview,
                history.latest.version,
                sorted((k, r.version) for k, r in history.touched.items()),
            ],
            default=str,
            sort_keys=True,
        ).encode("utf-8")
    )
    return digest.hexdigest()


class FingerprintCache:
    """Remembers, across builds, the fingerprint of what each generated page or chart showed."""

    def __init__(self, path: Path, shared: str):
        self.path, self.shared = path, shared
        stored = state.read_json(path) or {}
        entries = stored.get("entries") if stored.get("shared") == shared else None
        self.entries = entries if isinstance(entries, dict) else {}

    @staticmethod
    def digest(fingerprint) -> str:
        """Fingerprints are compared as hashes of their JSON: a tuple read back from the cache file is
        a list, and comparing the objects themselves called every page stale on every build."""
        payload = json.dumps(fingerprint, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]

    def is_fresh(self, key: str, fingerprint) -> bool:
        entry = self.entries.get(key)
        return entry is not None and entry["fingerprint"] == self.digest(fingerprint)

    def remember(self, key: str, fingerprint, value=None) -> None:
        self.entries[key] = {"fingerprint": self.digest(fingerprint), "value": value}

    def value(self, key: str, fingerprint):
        """What was remembered under key, if its fingerprint is unchanged; else None."""
        return self.entries[key]["value"] if self.is_fresh(key, fingerprint) else None

    def save(self) -> None:
        state.write_json(self.path, {"shared": self.shared, "entries": self.entries})
