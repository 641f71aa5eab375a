using Keel.Core.Jobs;
using Keel.Storage.Contracts;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Enrolls the PostgreSQL job queue in the queue contract: each queue on a fresh schema.</summary>
[RequiresPostgres]
public sealed class PostgresJobQueueContractTests : JobQueueContract
{
    private readonly TestDatabases _databases = new();

    protected override IJobQueue CreateQueue() => new PostgresJobQueue(_databases.Open());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _databases.Dispose();
        }
    }
}
