"""``check --fix`` and ``--add-noqa``: safe, reviewable edits, as ruff makes them.

* :mod:`.plan`      from the findings of a check to the edits that fix them (safe / unsafe);
* :mod:`.yaml_edit` the manifest edited by ruamel's round trip: comments and layout kept;
* :mod:`.noqa`      ``aiact-lint: ignore[CODE] reason`` comments written into code files;
* :mod:`.files`     which files may be written (inside the repository, committed unless
  ``--force``), unified diffs for ``--diff``, atomic writes.
* :mod:`.command`   the command: plan, refuse or write, report what changed and what is left.

Never invents evidence, never writes outside the manifests and the code files the findings
name. None of this is imported by a plain ``aiact-lint check``.
"""
