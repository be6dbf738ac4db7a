"""aiact-lint: check AI systems declared in ``aiact.yaml`` against the EU AI Act."""

__version__ = "0.1.0"
LAW_VERSION = "Regulation (EU) 2024/1689 as amended by Regulation (EU) 2026/1744"
