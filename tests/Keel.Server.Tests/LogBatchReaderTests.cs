using System.Buffers;
using System.Text;
using Keel.Core.Errors;
using Keel.Server.Http;

namespace Keel.Server.Tests;

public sealed class LogBatchReaderTests
{
    private static LogBatchBody Read(string json) => LogBatchReader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_metrics_params_and_tags_in_order()
    {
        var body = Read("""
            {"run_id": "abc", "metrics": [{"key": "loss", "value": 0.5, "timestamp": 10, "step": 2},
                                          {"key": "acc", "value": 1, "timestamp": 11}],
             "params": [{"key": "lr", "value": "0.1"}], "tags": [{"key": "t", "value": ""}], "extra": {"x": [1, 2]}}
            """);
        Assert.Equal("abc", body.RunId);
        Assert.Equal([new("loss", 0.5, 10, 2), new("acc", 1, 11, 0)], body.Metrics);
        Assert.Equal("0.1", Assert.Single(body.Params).Value);
        Assert.Equal(string.Empty, Assert.Single(body.Tags).Value);
    }

    [Fact]
    public void Accepts_named_floats_and_int64_strings_and_run_uuid()
    {
        var body = Read("""{"run_uuid": "r", "metrics": [{"key": "a", "value": "NaN", "timestamp": "5", "step": "7"}, {"key": "a", "value": "-Infinity", "timestamp": 5}, {"key": "a", "value": "Infinity", "timestamp": 5}]}""");
        Assert.Equal("r", body.RunId);
        Assert.True(double.IsNaN(body.Metrics[0].Value));
        Assert.Equal(7, body.Metrics[0].Step);
        Assert.Equal(5, body.Metrics[0].Timestamp);
        Assert.Equal(double.NegativeInfinity, body.Metrics[1].Value);
        Assert.Equal(double.PositiveInfinity, body.Metrics[2].Value);
    }

    [Fact]
    public void A_body_that_is_a_json_string_is_decoded_again()
    {
        var body = Read("\"{\\\"run_id\\\": \\\"x\\\", \\\"params\\\": [{\\\"key\\\": \\\"k\\\", \\\"value\\\": \\\"v\\\"}]}\"");
        Assert.Equal("x", body.RunId);
        Assert.Equal("k", Assert.Single(body.Params).Key);
    }

    [Theory]
    [InlineData("""{"run_id": "r", "metrics": [{"key": "a", "value": true, "timestamp": 1}]}""", "Invalid value True for parameter 'metrics[0].value' supplied. Hint: Value was of type 'bool'.")]
    [InlineData("""{"run_id": "r", "metrics": [{"key": "a", "value": 1, "timestamp": 1}, {"key": "b", "value": 1, "timestamp": 1.5}]}""", "Invalid value 1.5 for parameter 'metrics[1].timestamp' supplied.")]
    [InlineData("""{"run_id": "r", "metrics": [{"key": 3, "value": 1, "timestamp": 1}]}""", "Invalid value 3 for parameter 'metrics[0].key' supplied.")]
    [InlineData("""{"run_id": "r", "params": [{"key": "a", "value": 1}]}""", "Invalid value 1 for parameter 'params[0].value' supplied.")]
    [InlineData("""{"run_id": "r", "metrics": {"key": "a"}}""", "Invalid value {'key': 'a'} for parameter 'metrics' supplied. Hint: Value was of type 'dict'.")]
    [InlineData("""{"run_id": "r", "metrics": "foo"}""", "Invalid value foo for parameter 'metrics' supplied. Hint: Value was of type 'str'.")]
    [InlineData("""{"run_id": "r", "metrics": [{"value": 1, "timestamp": 1}]}""", "Invalid value [{'value': 1, 'timestamp': 1}] for parameter 'metrics' supplied. Hint: Value was of type 'list'.")]
    [InlineData("""{"run_id": "r", "metrics": [{"key": "a", "timestamp": 1}]}""", "Invalid value [{'key': 'a', 'timestamp': 1}] for parameter 'metrics' supplied.")]
    [InlineData("""{"run_id": "r", "metrics": [{"key": "mae", "value": 2.5}]}""", "Invalid value [{'key': 'mae', 'value': 2.5}] for parameter 'metrics' supplied.")]
    [InlineData("""{"run_id": "r", "tags": [{"key": "", "value": "v"}]}""", "Invalid value [{'key': '', 'value': 'v'}] for parameter 'tags' supplied.")]
    [InlineData("""{"metrics": [{"key": "mae", "value": 2.5}]}""", "Missing value for required parameter 'run_id'.")]
    [InlineData("""{"metrics": [""", "Malformed JSON")]
    public void Bad_input_names_the_field(string json, string fragment)
    {
        var error = Assert.Throws<KeelException>(() => Read(json));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_body_split_across_segments()
    {
        var json = Encoding.UTF8.GetBytes("""{"run_id": "abc", "metrics": [{"key": "m", "value": 1.5, "timestamp": 3, "step": 4}]}""");
        var first = new Segment(json.AsMemory(0, 20));
        var last = first.Append(json.AsMemory(20));
        var body = LogBatchReader.Read(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
        Assert.Equal(new Keel.Core.Tracking.Metric("m", 1.5, 3, 4), Assert.Single(body.Metrics));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
