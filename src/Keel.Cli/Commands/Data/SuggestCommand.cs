using System.CommandLine;
using Keel.Cli.Infrastructure;
using Keel.Core.Data;
using Keel.Data.Profiling;
using Keel.Data.Validation;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary><c>keel data suggest URI|PATH [--name SUITE] [--out FILE]</c></summary>
internal static class SuggestCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var target = new Argument<string>("target") { Description = "A dataset URI (its stored profile is used) or a table file or folder (profiled now)." };
        var name = new Option<string?>("--name") { Description = "The suite's name (default: the dataset's or file's name)." };
        var output = new Option<string?>("--out") { Description = "Write the suite here instead of stdout." };
        var command = new Command("suggest", "Draft a Great Expectations suite from a profile: columns, types, nulls, ranges, sets, uniqueness, row count.") { target, name, output };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var text = result.GetValue(target)!;
            TableProfile profile;
            string defaultName;
            if (DatasetUri.IsDatasetUri(text))
            {
                await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
                var version = await session.Datasets.ResolveAsync(text, cancellationToken).ConfigureAwait(false);
                profile = TableProfile.Parse(version.Profile ?? throw Core.Errors.KeelException.InvalidParameter($"{version.Uri} is not a table (format {version.Format}), so it has no profile to suggest from."));
                defaultName = version.Name;
            }
            else
            {
                profile = await new TableProfiler().ProfileAsync(Keel.Data.Tables.TableSource.Open(text), null, cancellationToken).ConfigureAwait(false);
                defaultName = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(text));
            }

            var suite = SuiteSuggester.Suggest(profile, result.GetValue(name) ?? defaultName);
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, suite.ToJson(), cancellationToken).ConfigureAwait(false);
                WireOutput.Done(result.GetValue(store.Output), $"Wrote suite [bold]{suite.Name}[/] ({suite.Expectations.Count} expectations) to {file}. Review it before gating data with it.");
            }
            else
            {
                Console.WriteLine(suite.ToJson());
            }

            return 0;
        });
        return command;
    }
}
