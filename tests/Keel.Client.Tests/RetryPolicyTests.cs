using System.Net;
using Keel.Core.Errors;

namespace Keel.Client.Tests;

/// <summary>
/// Idempotent calls are retried on 429, 5xx and connection failures up to MaxRetries; creates never
/// are (a retried create could make two); client errors never are.
/// </summary>
public sealed class RetryPolicyTests
{
    private const string Experiment = """{"experiment": {"experiment_id": "1", "name": "e", "artifact_location": "x", "lifecycle_stage": "active"}}""";
    private const string Unavailable = """{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "busy"}""";

    // Backoff is real time: keep it at a millisecond so the test measures attempts, not waiting.
    private static KeelClient Client(ScriptedHandler handler, int maxRetries = 3, TimeSpan? timeout = null) =>
        new(new Uri("http://tracking.test"), new HttpClient(handler), new KeelClientOptions
        {
            MaxRetries = maxRetries,
            BackoffBase = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(5),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task A_read_is_retried_through_transient_failures(HttpStatusCode status)
    {
        var handler = new ScriptedHandler(
            ScriptedHandler.Json(status, Unavailable),
            ScriptedHandler.Refused(),
            ScriptedHandler.Json(HttpStatusCode.OK, Experiment));
        using var client = Client(handler);
        Assert.Equal("e", (await client.GetExperimentAsync("1")).Name);
        Assert.Equal(3, handler.Attempts);
    }

    [Fact]
    public async Task A_create_is_sent_once_even_when_the_server_is_busy()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, Unavailable));
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.CreateExperimentAsync("e", null, []));
        Assert.Equal((ErrorCode.TemporarilyUnavailable, "busy"), (e.Code, e.Message));
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task A_create_that_cannot_connect_is_not_retried_and_names_the_server()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Refused());
        using var client = Client(handler);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.CreateRunAsync(new Core.Tracking.NewRun("1", "u", "r", 1, [])));
        Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        Assert.Contains("http://tracking.test", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, handler.Attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error_code": "INVALID_PARAMETER_VALUE", "message": "bad"}""")]
    [InlineData(HttpStatusCode.NotFound, """{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "gone"}""")]
    [InlineData(HttpStatusCode.Forbidden, """{"error_code": "PERMISSION_DENIED", "message": "no"}""")]
    public async Task A_client_error_is_never_retried(HttpStatusCode status, string body)
    {
        var handler = new ScriptedHandler(ScriptedHandler.Json(status, body));
        using var client = Client(handler);
        await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_with_the_last_answer()
    {
        var handler = new ScriptedHandler(
            ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, Unavailable),
            ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, Unavailable),
            ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "still busy"}"""));
        using var client = Client(handler, maxRetries: 2);
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal((ErrorCode.TemporarilyUnavailable, "still busy"), (e.Code, e.Message));
        Assert.Equal(3, handler.Attempts);
    }

    [Fact]
    public async Task Retry_after_from_the_server_is_honoured()
    {
        var handler = new ScriptedHandler(
            ScriptedHandler.Json(HttpStatusCode.TooManyRequests, """{"error_code": "REQUEST_LIMIT_EXCEEDED", "message": "slow down"}""", r => r.Headers.RetryAfter = new(TimeSpan.Zero)),
            ScriptedHandler.Json(HttpStatusCode.OK, Experiment));
        using var client = Client(handler);
        Assert.Equal("1", (await client.GetExperimentAsync("1")).ExperimentId);
        Assert.Equal(2, handler.Attempts);
    }

    [Fact]
    public async Task An_attempt_that_never_answers_times_out_as_deadline_exceeded()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Hang());
        using var client = Client(handler, maxRetries: 0, timeout: TimeSpan.FromMilliseconds(50));
        var e = await Assert.ThrowsAsync<KeelException>(() => client.GetExperimentAsync("1"));
        Assert.Equal(ErrorCode.DeadlineExceeded, e.Code);
        Assert.Contains("did not answer within", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_retried_or_rewrapped()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(ScriptedHandler.Hang(entered));
        using var client = Client(handler);
        using var cts = new CancellationTokenSource();
        var call = client.GetExperimentAsync("1", cts.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, handler.Attempts);
    }
}
