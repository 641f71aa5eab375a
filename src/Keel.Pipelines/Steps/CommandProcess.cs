using System.ComponentModel;
using System.Diagnostics;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Runs one program to its end, streaming its output to the step's log line by line as it comes
/// (stderr lines prefixed <c>stderr: </c>) and keeping the last stderr lines for the failure message.
/// Cancellation kills the whole process tree, so a shell script's children do not outlive the step.
/// </summary>
internal static class CommandProcess
{
    /// <summary>Stderr lines kept for the message of a failed command.</summary>
    public const int TailLines = 20;

    /// <summary>Runs <paramref name="start"/>; returns its exit code and its last stderr lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> StderrTail)> RunAsync(ProcessStartInfo start, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        cancellationToken.ThrowIfCancellationRequested();
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var tail = new Queue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                log(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            log("stderr: " + line);
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        };

        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{start.FileName}': {e.Message}", e);
        }

        // Nothing is fed on stdin: a program that reads it sees its end rather than waiting forever.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        lock (tail)
        {
            return (process.ExitCode, [.. tail]);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);

            // Bounded: a process the kernel cannot stop at once must not hold the worker.
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }
}
