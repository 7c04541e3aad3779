using Superset.MigrationWorker.Cli;
using Superset.MigrationWorker.Worker;

// No arguments: the Aspire migration worker — apply every pending migration, then exit.
// A command (status, upgrade, create, …): the command line behind scripts/manage_migrations.sh.
return args.Length == 0
    ? await WorkerHost.RunAsync(args)
    : await CommandLineApp.RunAsync(args);
