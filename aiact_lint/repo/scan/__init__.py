"""The code scan, one module per job; ``aiact_lint.repo.code_scan`` is its front door."""
