from furat.cli.main import main

raise SystemExit(main())
