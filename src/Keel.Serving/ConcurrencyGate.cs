namespace Keel.Serving;

/// <summary>Counts an endpoint's requests in flight against its limit; survives routing-table swaps.</summary>
internal sealed class ConcurrencyGate
{
    private int _inFlight;

    public int Limit { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= Limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
