import sys

from drs_cli.main import main

sys.exit(main())
