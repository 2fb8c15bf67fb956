"""The static open-data site generator: curated CSV files and their configuration in, a validated
Frictionless data package and a bilingual static site out (`odportal --help`).

The generator's version is its own, apart from any portal's data release (CHANGELOG-generator.md).
"""

__version__ = "2.0.0"
