using Keel.Cli.Commands.Data;
using Keel.Cli.Infrastructure;
using Keel.Core.Data;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>The quickstart's data step: add the sample file as a dataset version gated by its suite, and check it out for training.</summary>
internal static class QuickstartData
{
    public static async Task<(DatasetVersion Version, string LocalPath)> AddAsync(StoreSession session, string file, string suitePath, string name, CancellationToken cancellationToken)
    {
        await using var workflow = session.DataWorkflow();
        var suite = await DataInputs.ReadSuiteTextAsync(suitePath, cancellationToken).ConfigureAwait(false);
        var outcome = await workflow.AddAsync(file, name, "Wisconsin diagnostic breast cancer (scikit-learn's copy of the UCI data)", Environment.UserName, null, cancellationToken, suite).ConfigureAwait(false);
        if (outcome.Validation is { } validation)
        {
            DataDisplay.Validation(validation);
        }

        if (outcome.Refused)
        {
            throw Core.Errors.KeelException.InvalidParameter($"The sample data failed a critical expectation of {suitePath}; nothing was stored.");
        }

        var version = outcome.Version!;
        if (outcome.Created)
        {
            AnsiConsole.MarkupLineInterpolated($"Added [bold]{version.Uri}[/]: {version.RowCount:N0} rows, profiled; warnings do not block, a failed critical expectation would have refused the data.");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Unchanged: the data equals [bold]{version.Uri}[/], so no new version.");
        }
        var (local, _) = await workflow.CheckoutAsync(version.Uri, null, cancellationToken).ConfigureAwait(false);
        return (version, local);
    }
}
