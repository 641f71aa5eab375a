namespace Keel.EndToEnd.Tests.Governance;

/// <summary>A clock that moves only when a test moves it; starts at the real time so stored expiries stay in the real future.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
