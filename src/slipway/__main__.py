from slipway.cli.app import main

main()
