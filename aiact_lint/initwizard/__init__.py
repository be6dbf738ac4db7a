"""``aiact-lint init``: the questions the law turns on, answered at a prompt or by flags.

* :mod:`.prompts`   asks one question (interactive) or takes its answer from a flag or default;
* :mod:`.suggest`   Annex III points from the purpose, models and capabilities from the code;
* :mod:`.manifest_text`  writes the commented ``aiact.yaml`` for the answers, keys that matter only;
* :mod:`.files`     atomic write, backups (``--force``), nothing written anywhere else.

The command itself (the order of the questions, the determination printed) is
:mod:`aiact_lint.init_cmd`. None of this is imported by ``aiact-lint check``.
"""
