"""django-q2 entry points for short and scheduled work (jobs themselves are run by the
runner processes, `drs.runner.process`). Arguments are ids only."""

from __future__ import annotations
