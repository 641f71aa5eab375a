using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Core.Governance;

/// <summary>
/// The audit log's hash chain, independent of any storage. For each event,
/// <c>Hash = SHA-256(PreviousHash || Encoding)</c> where the first event's previous hash is 32 zero
/// bytes and Encoding is, in this order:
/// <list type="number">
/// <item>sequence: 8 bytes, big-endian two's complement;</item>
/// <item>timestamp (Unix ms): 8 bytes, big-endian;</item>
/// <item>actor, action, resource type, resource, environment: each a text field;</item>
/// <item>approval id: one byte 0 when absent, or one byte 1 followed by 8 bytes big-endian;</item>
/// <item>before, after: each a text field.</item>
/// </list>
/// A text field is 4 bytes big-endian holding the length of its UTF-8 bytes followed by those bytes,
/// or the 4 bytes <c>FF FF FF FF</c> alone for null. Every field has a fixed size or a length in front,
/// so no two different events encode to the same bytes.
/// </summary>
public static class AuditChain
{
    /// <summary>SHA-256's output size.</summary>
    public const int HashSize = 32;

    private const uint NullLength = 0xFFFF_FFFF;

    private static readonly byte[] GenesisHash = new byte[HashSize];

    /// <summary>The previous hash of the first event: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisHash;

    /// <summary>The hash of one event given the one before it.</summary>
    /// <param name="previousHash">The preceding event's hash, or <see cref="Genesis"/>.</param>
    /// <param name="sequence">The event's sequence.</param>
    /// <param name="timestamp">Its time, Unix milliseconds.</param>
    /// <param name="entry">The change it records.</param>
    public static byte[] ComputeHash(ReadOnlySpan<byte> previousHash, long sequence, long timestamp, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var encoder = new AuditEncoder();
        encoder.Begin(previousHash, sequence, timestamp);
        encoder.Text(entry.Actor);
        encoder.Text(entry.Action);
        encoder.Text(entry.ResourceType);
        encoder.Text(entry.Resource);
        encoder.Text(entry.Environment);
        encoder.OptionalInt64(entry.ApprovalId);
        encoder.Text(entry.Before);
        encoder.Text(entry.After);
        var hash = new byte[HashSize];
        encoder.Hash(hash);
        return hash;
    }

    /// <summary>The hash of a stored event recomputed from its fields (not its stored hash).</summary>
    /// <param name="e">The event.</param>
    public static byte[] ComputeHash(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ComputeHash(e.PreviousHash, e.Sequence, e.Timestamp, new AuditEntry(e.Actor, e.Action, e.ResourceType, e.Resource, e.Before, e.After, e.Environment, e.ApprovalId));
    }

    /// <summary>Lower-case hex, as hashes are shown and exported.</summary>
    /// <param name="hash">The bytes.</param>
    public static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>Checks a list of events in sequence order (tests and small exports; stores stream through <see cref="AuditChainVerifier"/>).</summary>
    /// <param name="events">The events, oldest first.</param>
    public static AuditVerification Verify(IEnumerable<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var verifier = new AuditChainVerifier();
        foreach (var e in events)
        {
            if (!verifier.Check(e.Sequence, e.Timestamp, e.Actor, e.Action, e.ResourceType, e.Resource, e.Environment, e.ApprovalId, e.Before, e.After, e.PreviousHash, e.Hash))
            {
                break;
            }
        }

        return verifier.Result();
    }

    internal static string Describe(AuditChainProblem problem, long sequence, long expectedSequence) => problem switch
    {
        AuditChainProblem.HashMismatch => string.Create(CultureInfo.InvariantCulture, $"Event {sequence}: its stored hash is not the hash of its fields (a field was edited)."),
        AuditChainProblem.PreviousHashMismatch => string.Create(CultureInfo.InvariantCulture, $"Event {sequence}: its previous hash is not the hash of event {sequence - 1} (an event before it was edited, replaced or removed)."),
        _ => sequence > expectedSequence
            ? string.Create(CultureInfo.InvariantCulture, $"Event {expectedSequence} is missing: the chain goes on at {sequence} (an event was deleted).")
            : string.Create(CultureInfo.InvariantCulture, $"Event {sequence} appears where {expectedSequence} was expected (events were reordered or duplicated)."),
    };
}

/// <summary>
/// Builds the bytes <c>PreviousHash || Encoding</c> of one event in a reused buffer and hashes them
/// in one call on a reused <see cref="IncrementalHash"/> (per thread): a quarter cheaper per event
/// than the one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, which sets up
/// a new digest context each call, and far cheaper than feeding the fields one by one (see
/// docs/benchmarks.md, Issue 14).
/// </summary>
public sealed class AuditEncoder
{
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Starts an event: the previous hash, the sequence and the timestamp.</summary>
    /// <param name="previousHash">The preceding event's hash.</param>
    /// <param name="sequence">The sequence.</param>
    /// <param name="timestamp">The time.</param>
    public void Begin(ReadOnlySpan<byte> previousHash, long sequence, long timestamp)
    {
        _length = 0;
        Raw(previousHash);
        Int64(sequence);
        Int64(timestamp);
    }

    /// <summary>Appends 8 bytes big-endian.</summary>
    /// <param name="value">The number.</param>
    public void Int64(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Appends an optional number: 0, or 1 and 8 bytes big-endian.</summary>
    /// <param name="value">The number or null.</param>
    public void OptionalInt64(long? value)
    {
        Ensure(9);
        if (value is { } v)
        {
            _buffer[_length++] = 1;
            BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), v);
            _length += 8;
        }
        else
        {
            _buffer[_length++] = 0;
        }
    }

    /// <summary>Appends a text field: its UTF-8 length and bytes, or the null marker.</summary>
    /// <param name="value">The text or null.</param>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        Ensure(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)written);
        _length += 4 + written;
    }

    /// <summary>Appends a text field already in UTF-8.</summary>
    /// <param name="utf8">The bytes.</param>
    public void Utf8(ReadOnlySpan<byte> utf8)
    {
        Ensure(4 + utf8.Length);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)utf8.Length);
        _length += 4;
        Raw(utf8);
    }

    /// <summary>Appends the null marker of a text field.</summary>
    public void Null()
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), 0xFFFF_FFFF);
        _length += 4;
    }

    /// <summary>Writes SHA-256 of the bytes written into <paramref name="destination"/>.</summary>
    /// <param name="destination">32 bytes.</param>
    public void Hash(Span<byte> destination)
    {
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Written);
        sha.GetHashAndReset(destination);
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}

/// <summary>
/// Checks a chain event by event as a store streams it, oldest first, without keeping the events:
/// each must have the next sequence, carry the previous event's hash, and hash to its stored hash.
/// </summary>
public sealed class AuditChainVerifier
{
    private readonly AuditEncoder _encoder = new();
    private readonly byte[] _previous = new byte[AuditChain.HashSize];
    private readonly byte[] _computed = new byte[AuditChain.HashSize];
    private long _expected = 1;
    private long _count;
    private long? _broken;
    private AuditChainProblem? _problem;
    private string? _detail;

    /// <summary>The encoder for a caller that writes the text fields itself (<see cref="CheckEncoded"/>).</summary>
    public AuditEncoder Encoder => _encoder;

    /// <summary>Checks the next event; false when it is broken (and the verifier stops).</summary>
    /// <param name="sequence">Stored sequence.</param>
    /// <param name="timestamp">Stored time.</param>
    /// <param name="actor">Stored actor.</param>
    /// <param name="action">Stored action.</param>
    /// <param name="resourceType">Stored resource type.</param>
    /// <param name="resource">Stored resource.</param>
    /// <param name="environment">Stored environment.</param>
    /// <param name="approvalId">Stored approval id.</param>
    /// <param name="before">Stored before.</param>
    /// <param name="after">Stored after.</param>
    /// <param name="previousHash">Stored previous hash.</param>
    /// <param name="hash">Stored hash.</param>
    public bool Check(
        long sequence, long timestamp, string actor, string action, string resourceType, string resource, string? environment,
        long? approvalId, string? before, string? after, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> hash)
    {
        if (!Start(sequence, timestamp))
        {
            return false;
        }

        _encoder.Text(actor);
        _encoder.Text(action);
        _encoder.Text(resourceType);
        _encoder.Text(resource);
        _encoder.Text(environment);
        _encoder.OptionalInt64(approvalId);
        _encoder.Text(before);
        _encoder.Text(after);
        return CheckEncoded(sequence, previousHash, hash);
    }

    /// <summary>Begins an event whose fields the caller writes to <see cref="Encoder"/>; false when already broken.</summary>
    /// <param name="sequence">Stored sequence.</param>
    /// <param name="timestamp">Stored time.</param>
    public bool Start(long sequence, long timestamp)
    {
        if (_broken is not null)
        {
            return false;
        }

        _encoder.Begin(_previous, sequence, timestamp);
        return true;
    }

    /// <summary>Finishes an event begun with <see cref="Start"/> after its fields were written; false when it is broken.</summary>
    /// <param name="sequence">Stored sequence.</param>
    /// <param name="previousHash">Stored previous hash.</param>
    /// <param name="hash">Stored hash.</param>
    public bool CheckEncoded(long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> hash)
    {
        _count++;
        if (sequence != _expected)
        {
            return Fail(sequence, AuditChainProblem.SequenceGap);
        }

        if (!previousHash.SequenceEqual(_previous))
        {
            return Fail(sequence, AuditChainProblem.PreviousHashMismatch);
        }

        // The encoding was built on the expected previous hash, which the stored one equals.
        _encoder.Hash(_computed);
        if (!hash.SequenceEqual(_computed))
        {
            return Fail(sequence, AuditChainProblem.HashMismatch);
        }

        _computed.CopyTo(_previous, 0);
        _expected++;
        return true;
    }

    /// <summary>What was found so far.</summary>
    public AuditVerification Result() =>
        new(_broken is null, _count, _expected - 1, AuditChain.Hex(_previous), _broken, _problem, _detail);

    private bool Fail(long sequence, AuditChainProblem problem)
    {
        _broken = sequence;
        _problem = problem;
        _detail = AuditChain.Describe(problem, sequence, _expected);
        return false;
    }
}
