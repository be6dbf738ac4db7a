"""Adversarial tests (issue 8): fuzzing, hostile repositories, injection, determinism, no side
effects. ``HYPOTHESIS_PROFILE=long python -m pytest tests/adversarial`` runs the long profile;
see docs/testing.md."""
