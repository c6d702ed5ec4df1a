from dntui.cli import main

raise SystemExit(main())
