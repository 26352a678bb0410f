"""Releases: version numbers, what changed between two builds, the release command, the Hub.

- :mod:`curation.release.versioning`: versions, the bump rule, the pyproject edit;
- :mod:`curation.release.changelog`: CHANGELOG.md entries;
- :mod:`curation.release.diff`: records, columns, steps and rules that changed between
  two built ``dist/`` folders;
- :mod:`curation.release.repository`: the few git commands a release needs;
- :mod:`curation.release.release`: ``curation release``;
- :mod:`curation.release.hub`: ``curation publish`` to the Hugging Face Hub.

This package's ``__init__`` imports nothing, so that the data card can read the
versioning rule without loading the release machinery.
"""
