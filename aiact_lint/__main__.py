"""``python -m aiact_lint`` runs the same CLI as the ``aiact-lint`` script."""

import sys

from aiact_lint.cli import main

sys.exit(main())
