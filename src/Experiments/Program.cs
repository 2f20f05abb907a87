using Harness.Experiments.Cli;

return CliApp.Run(args);
