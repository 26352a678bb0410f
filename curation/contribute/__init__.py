"""The contributor workflow: add a seed, check the seeds folder, find near-duplicates.

``curation add-seed`` (:mod:`~curation.contribute.add_seed`) copies a new text into
``seeds/`` with its sidecar, or refuses it with the reason; ``curation check``
(:mod:`~curation.contribute.check`) validates the whole folder and runs as a
pre-commit hook. See CONTRIBUTING.md for the walk-through.
"""
