"""Hold the manifest against the repository, read-only and inside the root.

``inspect_evidence`` answers, per evidence path, whether the document counts (so that an
obligation is ``met`` only when its evidence passes); ``check_repository`` returns the findings
about documents, disclosure texts and code. ``check_unowned`` reports AI use outside manifests.
"""

from __future__ import annotations
