using System.Globalization;
using Keel.Application.Jobs;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>Keel's job queue API (/api/2.0/keel/jobs): enqueue, lease, heartbeat, complete, fail, release, cancel, get, list.</summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/jobs", "/ajax-api/2.0/keel/jobs" })
        {
            var group = app.MapGroup(prefix).WithTags("Job queue").PathParameter("id", "The job id.");
            group.MapPost(string.Empty, (Delegate)EnqueueAsync).Body<EnqueueJobRequest>()
                .Describe<JobResponse>("Enqueue a job", "Adds a job of a kind with a JSON payload. With an idempotency_key already used, answers the job enqueued first and adds nothing.", 400);
            group.MapGet(string.Empty, (Delegate)ListAsync)
                .Describe<ListJobsResponse>("List jobs", "Jobs in id order, optionally of one state and kind; page with after_id (the last id seen).", 400)
                .Query("state", "queued, leased, succeeded, dead or cancelled; every state when absent.")
                .Query("kind", "Only jobs of this kind.")
                .Query("after_id", "Only jobs with a larger id (paging); from the start when absent.", JsonSchemaType.Integer)
                .Query("max_results", "The most jobs to answer, 1-1000 (default 100).", JsonSchemaType.Integer);
            group.MapPost("/lease", (Delegate)LeaseAsync).Body<LeaseJobRequest>()
                .Describe<LeaseJobResponse>("Lease a job", "Leases the oldest ready job of the given kinds: queued and past its not_before, or leased with an expired lease (delivered again; on its last attempt it becomes dead instead). Answers {} when none is ready. The lease_token must accompany every later call about the job.", 400);
            group.MapGet("/{id}", GetAsync)
                .Describe<JobResponse>("Get a job", "The job, its state, attempts, lease and result or last error.", 400, 404);
            group.MapPost("/{id}/heartbeat", (HttpContext c, string id) => HolderAsync(c, id, (s, jobId, r, ct) => s.HeartbeatAsync(jobId, r.LeaseToken, r.LeaseSeconds, ct))).Body<JobLeaseRequest>()
                .Describe<JobResponse>("Extend a lease", "Sets the lease to run out lease_seconds from now. Refused (409) once the lease is no longer held.", 400, 404, 409);
            group.MapPost("/{id}/complete", (HttpContext c, string id) => HolderAsync(c, id, (s, jobId, r, ct) => s.CompleteAsync(jobId, r.LeaseToken, JobWire.Text(r.Result), ct))).Body<JobLeaseRequest>()
                .Describe<JobResponse>("Complete a job", "Marks the job succeeded with its result. Refused (409) once the lease is no longer held: the job was, or will be, delivered to another worker.", 400, 404, 409);
            group.MapPost("/{id}/fail", (HttpContext c, string id) => HolderAsync(c, id, (s, jobId, r, ct) => s.FailAsync(jobId, r.LeaseToken, r.Error, r.RetryDelaySeconds, ct))).Body<JobLeaseRequest>()
                .Describe<JobResponse>("Fail an attempt", "Records the error; the job is queued again after retry_delay_seconds (default backoff 1 s doubling to 5 minutes) while it has attempts left, else it is dead. Refused (409) once the lease is no longer held.", 400, 404, 409);
            group.MapPost("/{id}/release", (HttpContext c, string id) => HolderAsync(c, id, (s, jobId, r, ct) => s.ReleaseAsync(jobId, r.LeaseToken, ct))).Body<JobLeaseRequest>()
                .Describe<JobResponse>("Release a job", "Gives the job back unfinished (a worker stopping): it is queued at once and the attempt does not count. Refused (409) once the lease is no longer held.", 400, 404, 409);
            group.MapPost("/{id}/cancel", CancelAsync).Body<CancelJobRequest>(optional: true)
                .Describe<JobResponse>("Cancel a job", "Cancels a queued or leased job; its holder's later calls are refused. A finished job cannot be cancelled (409).", 400, 404, 409);
        }
    }

    private static JobService Service(HttpContext context) => context.RequestServices.GetRequiredService<JobService>();

    private static Task WriteAsync(HttpContext context, Job job) =>
        WireIO.WriteAsync(context, new JobResponse { Job = JobWire.ToDto(job) }, JobJson.Default.JobResponse);

    private static async Task EnqueueAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, JobJson.Default.EnqueueJobRequest).ConfigureAwait(false);
        var job = await Service(context).EnqueueAsync(r.Kind, JobWire.Text(r.Payload), r.IdempotencyKey, r.MaxAttempts, r.NotBefore, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, job).ConfigureAwait(false);
    }

    private static async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var jobs = await Service(context).ListAsync(
            query["state"].ToString(),
            query["kind"].ToString(),
            Number(query["after_id"].ToString(), "after_id"),
            (int?)Number(query["max_results"].ToString(), "max_results", int.MaxValue),
            context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ListJobsResponse { Jobs = [.. jobs.Select(JobWire.ToDto)] }, JobJson.Default.ListJobsResponse).ConfigureAwait(false);
    }

    private static async Task LeaseAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, JobJson.Default.LeaseJobRequest).ConfigureAwait(false);
        var lease = await Service(context).LeaseAsync(r.WorkerId, r.Kinds, r.LeaseSeconds, context.RequestAborted).ConfigureAwait(false);
        var response = lease is null ? new LeaseJobResponse() : new LeaseJobResponse { Job = JobWire.ToDto(lease.Job), LeaseToken = lease.Token };
        await WireIO.WriteAsync(context, response, JobJson.Default.LeaseJobResponse).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, string id) =>
        await WriteAsync(context, await Service(context).GetAsync(JobId(id), context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task HolderAsync(HttpContext context, string id, Func<JobService, long, JobLeaseRequest, CancellationToken, Task<Job>> call)
    {
        var jobId = JobId(id);
        var r = await WireIO.ReadAsync(context, JobJson.Default.JobLeaseRequest).ConfigureAwait(false);
        await WriteAsync(context, await call(Service(context), jobId, r, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task CancelAsync(HttpContext context, string id)
    {
        var jobId = JobId(id);
        // No fields, but a body that is not one JSON value is refused, not ignored.
        if (context.Request.ContentLength is > 0)
        {
            await WireIO.ReadAsync(context, JobJson.Default.CancelJobRequest).ConfigureAwait(false);
        }

        await WriteAsync(context, await Service(context).CancelAsync(jobId, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static long JobId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw KeelException.InvalidParameter($"Invalid job id '{id}': it must be a positive integer.");

    private static long? Number(string text, string field, long max = long.MaxValue)
    {
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value <= max
            ? value
            : throw KeelException.InvalidParameter($"Invalid {field} '{text}': it must be an integer.");
    }
}
