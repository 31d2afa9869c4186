from furat.cli import main

raise SystemExit(main())
