using MetaJit.Cli;

return CommandLine.Run(args, CliConsole.FromProcess());
