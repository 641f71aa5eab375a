namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Waits on a condition with a deadline: tests never sleep a fixed time to let something happen,
/// and never loop without a bound (a server that stops answering fails the test, it does not hang it).
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; throws naming <paramref name="what"/> when <paramref name="timeout"/> passes first.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            // A short poll interval, not a synchronisation: the condition decides.
            await Task.Delay(10);
        }
    }

    /// <summary>A token cancelled after <paramref name="timeout"/>: a backstop for loops that otherwise run until told to stop.</summary>
    public static CancellationTokenSource Deadline(TimeSpan timeout) => new(timeout);
}
