using Keel.Core.Pipelines;

namespace Keel.Application.Pipelines;

/// <summary>
/// Collects a step's log lines and writes them in batches (every 64 lines and at the end of a try),
/// so a chatty step does not make a store write per line.
/// </summary>
internal sealed class StepLogBuffer(IPipelineStore store, long runId, string step, int attempt)
{
    private readonly Lock _gate = new();
    private List<string> _lines = [];

    public void Write(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Length > 8192 ? line[..8192] + "…" : line;
        List<string>? full = null;
        lock (_gate)
        {
            _lines.Add(text);
            if (_lines.Count >= 64)
            {
                full = _lines;
                _lines = [];

                // Written in the background, chained so batches land in order.
                _pending = _pending.ContinueWith(_ => store.AppendLogAsync(runId, step, attempt, full), TaskScheduler.Default).Unwrap();
            }
        }
    }

    private Task _pending = Task.CompletedTask;

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Task pending;
        lock (_gate)
        {
            pending = _pending;
        }

        await pending.ConfigureAwait(false);
        List<string> rest;
        lock (_gate)
        {
            rest = _lines;
            _lines = [];
        }

        if (rest.Count > 0)
        {
            await store.AppendLogAsync(runId, step, attempt, rest, cancellationToken).ConfigureAwait(false);
        }
    }
}
