"""``aiact-lint init``: the questions the law turns on, answered at a prompt or by flags.

* :mod:`.command`   the command: modes, the determination printed, writing, closing notes;
* :mod:`.dialogue`  the questions, in the order the law needs them, and the suggestions offered;
* :mod:`.prompts`   asks one question (interactive) or takes its answer from a flag or default;
* :mod:`.suggest`   Annex III points from the purpose, models and capabilities from the code;
* :mod:`.answers`   the answers and the manifest data they stand for;
* :mod:`.manifest_text`  writes the commented ``aiact.yaml`` for the answers, keys that matter only;
* :mod:`.files`     atomic write, backups (``--force``), nothing written anywhere else.

None of this is imported by ``aiact-lint check``.
"""
