"""``python -m jxc_desktop`` opens the window (same as ``jxc-desktop``)."""

from jxc_desktop.app import main

raise SystemExit(main())
