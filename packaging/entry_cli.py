"""PyInstaller entry point of ``jxc`` (the console command; no Qt)."""

from jxc_desktop.cli import main

raise SystemExit(main())
