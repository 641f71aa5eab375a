namespace Keel.Cli.Infrastructure;

internal enum OutputFormat
{
    Table,
    Json,
}
