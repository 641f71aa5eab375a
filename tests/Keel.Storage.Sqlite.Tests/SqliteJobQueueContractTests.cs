using Keel.Core.Jobs;
using Keel.Storage.Contracts;

namespace Keel.Storage.Sqlite.Tests;

/// <summary>Enrolls the SQLite job queue in the queue contract: each queue on a fresh temp file.</summary>
public sealed class SqliteJobQueueContractTests : JobQueueContract
{
    private readonly TempDatabase _database = new();

    protected override IJobQueue CreateQueue() => new SqliteJobQueue(_database.NewPath());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _database.Dispose();
        }
    }
}
