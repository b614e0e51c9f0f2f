"""Test settings: a private data dir, database name and Redis prefix for every test run,
so parallel runs (and the subprocesses a test starts) never share state by accident."""

from __future__ import annotations

import os
import tempfile

_data = os.environ.setdefault("DRS_DATA_DIR", tempfile.mkdtemp(prefix="drs-test-"))
os.environ.setdefault("DRS_REDIS_PREFIX", f"drs-test-{os.getpid()}")
if os.environ.get("DATABASE_URL"):
    os.environ.setdefault("DRS_TEST_DATABASE_NAME", f"test_drs_{os.getpid()}")
else:
    os.environ.setdefault("DRS_TEST_DATABASE_NAME", os.path.join(_data, "test.sqlite3"))

from drs_site.settings import *  # noqa: E402, F403
from drs_site.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Processes a test starts (daphne, qcluster) must open the test database itself.
if os.environ.get("DRS_TEST_SUBPROCESS"):
    DATABASES["default"]["NAME"] = os.environ["DRS_TEST_DATABASE_NAME"]
