using Keel.Core.Governance;

namespace Keel.Core.Tests;

public sealed class AuditChainTests
{
    private static List<AuditEvent> Chain(int count)
    {
        var events = new List<AuditEvent>();
        var previous = AuditChain.Genesis.ToArray();
        for (var i = 1; i <= count; i++)
        {
            var entry = new AuditEntry(
                i % 2 == 0 ? "alice" : "keel:rollout-controller", "endpoint.update", "endpoint", "churn",
                Before: i == 1 ? null : "{\"v\":" + (i - 1) + "}", After: "{\"v\":" + i + "}",
                Environment: i % 3 == 0 ? "prod" : null, ApprovalId: i % 4 == 0 ? i : null);
            var timestamp = 1_700_000_000_000 + i;
            var hash = AuditChain.ComputeHash(previous, i, timestamp, entry);
            events.Add(new AuditEvent(i, timestamp, entry.Actor, entry.Action, entry.ResourceType, entry.Resource, entry.Environment, entry.ApprovalId, entry.Before, entry.After, previous, hash));
            previous = hash;
        }

        return events;
    }

    [Fact]
    public void An_untouched_chain_is_intact_and_reports_its_head()
    {
        var events = Chain(10);
        var result = AuditChain.Verify(events);
        Assert.True(result.Intact);
        Assert.Equal(10, result.Count);
        Assert.Equal(10, result.HeadSequence);
        Assert.Equal(AuditChain.Hex(events[^1].Hash), result.HeadHash);
        Assert.Null(result.BrokenSequence);
    }

    [Fact]
    public void An_empty_chain_is_intact_at_the_genesis_hash()
    {
        var result = AuditChain.Verify([]);
        Assert.True(result.Intact);
        Assert.Equal(0, result.Count);
        Assert.Equal(new string('0', 64), result.HeadHash);
    }

    public static TheoryData<string> Fields() => new() { "timestamp", "actor", "action", "resource_type", "resource", "environment", "approval_id", "before", "after" };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Editing_any_field_of_an_event_names_that_event(string field)
    {
        var events = Chain(8);
        var e = events[4];
        events[4] = field switch
        {
            "timestamp" => e with { Timestamp = e.Timestamp + 1 },
            "actor" => e with { Actor = "mallory" },
            "action" => e with { Action = "endpoint.create" },
            "resource_type" => e with { ResourceType = "registered_model" },
            "resource" => e with { Resource = "churn2" },
            "environment" => e with { Environment = e.Environment is null ? string.Empty : null },
            "approval_id" => e with { ApprovalId = e.ApprovalId is null ? 0 : null },
            "before" => e with { Before = e.Before + " " },
            _ => e with { After = null },
        };

        var result = AuditChain.Verify(events);
        Assert.False(result.Intact);
        Assert.Equal(5, result.BrokenSequence);
        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(4, result.HeadSequence);
        Assert.Contains("Event 5", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_whose_hash_was_recomputed_breaks_the_next_link()
    {
        var events = Chain(6);
        var forged = events[2] with { After = "{\"v\":99}" };
        events[2] = forged with { Hash = AuditChain.ComputeHash(forged) };
        var result = AuditChain.Verify(events);
        Assert.Equal(4, result.BrokenSequence);
        Assert.Equal(AuditChainProblem.PreviousHashMismatch, result.Problem);
    }

    [Fact]
    public void Deleting_an_event_is_a_gap_named_by_the_missing_sequence()
    {
        var events = Chain(6);
        events.RemoveAt(3);
        var result = AuditChain.Verify(events);
        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);
        Assert.Equal(5, result.BrokenSequence);
        Assert.Contains("Event 4 is missing", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Reordering_events_is_detected()
    {
        var events = Chain(6);
        (events[2], events[3]) = (events[3], events[2]);
        var result = AuditChain.Verify(events);
        Assert.False(result.Intact);
        Assert.Equal(4, result.BrokenSequence);
        Assert.Equal(AuditChainProblem.SequenceGap, result.Problem);

        // Renumbered to hide the swap, the links no longer meet.
        var renumbered = Chain(6);
        var (a, b) = (renumbered[2], renumbered[3]);
        renumbered[2] = b with { Sequence = 3 };
        renumbered[3] = a with { Sequence = 4 };
        var second = AuditChain.Verify(renumbered);
        Assert.Equal(3, second.BrokenSequence);
        Assert.Equal(AuditChainProblem.PreviousHashMismatch, second.Problem);
    }

    [Fact]
    public void Length_prefixes_keep_neighbouring_fields_and_null_apart()
    {
        var genesis = AuditChain.Genesis;
        var a = AuditChain.ComputeHash(genesis, 1, 1, new AuditEntry("ab", "c", "t", "r"));
        var b = AuditChain.ComputeHash(genesis, 1, 1, new AuditEntry("a", "bc", "t", "r"));
        var c = AuditChain.ComputeHash(genesis, 1, 1, new AuditEntry("a", "bc", "t", "r", Before: string.Empty));
        var d = AuditChain.ComputeHash(genesis, 1, 1, new AuditEntry("a", "bc", "t", "r", Before: null));
        Assert.NotEqual(a, b);
        Assert.NotEqual(c, d);
    }

    [Fact]
    public void The_recipe_is_the_documented_one()
    {
        // SHA-256(32 zero bytes || seq BE8 || ts BE8 || len-prefixed UTF-8 fields ...), computed by hand.
        var bytes = new List<byte>();
        bytes.AddRange(new byte[32]);
        bytes.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 });
        bytes.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0, 2 });
        void Text(string? s)
        {
            if (s is null)
            {
                bytes.AddRange(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
                return;
            }

            var utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            bytes.AddRange(new byte[] { 0, 0, 0, (byte)utf8.Length });
            bytes.AddRange(utf8);
        }

        Text("al\u00e9"); Text("x.y"); Text("t"); Text("r"); Text(null);
        bytes.AddRange(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 7 });
        Text(null); Text("{}");
        var expected = System.Security.Cryptography.SHA256.HashData(bytes.ToArray());
        Assert.Equal(expected, AuditChain.ComputeHash(AuditChain.Genesis, 1, 2, new AuditEntry("al\u00e9", "x.y", "t", "r", null, "{}", null, 7)));
    }
}
