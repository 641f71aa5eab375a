using Keel.Cli.Infrastructure;

return await KeelCommandLine.RunAsync(args);
