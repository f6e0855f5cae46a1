import TernCLI

await TernCommand.main()
