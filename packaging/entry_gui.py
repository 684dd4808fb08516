"""PyInstaller entry point of ``jxc-desktop`` (the window)."""

from jxc_desktop.app import main

raise SystemExit(main())
