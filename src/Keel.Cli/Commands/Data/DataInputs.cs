using Keel.Core.Errors;
using Keel.Data.Validation;

namespace Keel.Cli.Commands.Data;

/// <summary>Reading the files a data command is given, with errors that name them.</summary>
internal static class DataInputs
{
    public static async Task<string> ReadSuiteTextAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw KeelException.InvalidParameter($"--suite '{path}': no such file.");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);

        // Parsed now so an unknown expectation or a wrong argument is reported before any work.
        ExpectationSuite.Parse(text);
        return text;
    }

    public static async Task<ExpectationSuite> ReadSuiteAsync(string path, CancellationToken cancellationToken) =>
        ExpectationSuite.Parse(await ReadSuiteTextAsync(path, cancellationToken).ConfigureAwait(false));
}
