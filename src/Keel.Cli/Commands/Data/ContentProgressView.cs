using Keel.Cli.Infrastructure;
using Keel.Data.Content;
using Spectre.Console;

namespace Keel.Cli.Commands.Data;

/// <summary>A progress bar on stderr for hashing, uploading and downloading dataset content (stdout keeps results).</summary>
internal static class ContentProgressView
{
    public static Task<T> RunAsync<T>(string label, bool quiet, Func<IProgress<ContentProgress>?, Task<T>> work)
    {
        if (quiet || Console.IsErrorRedirected)
        {
            return work(null);
        }

        var console = CliConsole.Error();
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: 1);
                var progress = new Progress<ContentProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.BytesTotal);
                    task.Value = p.BytesDone;
                    task.Description = $"{label}: {p.Phase.ToString().ToLowerInvariant()} {p.FilesDone:N0}/{p.FilesTotal:N0} files";
                });
                var result = await work(progress).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            });
    }
}
