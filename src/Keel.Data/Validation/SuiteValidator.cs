using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Keel.Data.Tables;
using Keel.Data.Validation.Checks;

namespace Keel.Data.Validation;

/// <summary>
/// Runs an expectation suite on a table with DuckDB. Every aggregate the suite needs is computed
/// in one shared scan; checks that need more (uniqueness, order, distinct sets, samples of
/// unexpected values for failing checks) run their own small queries. An expectation that cannot
/// be evaluated (a missing column, a regex RE2 rejects) fails alone, with <c>exception_info</c>,
/// as in Great Expectations.
/// </summary>
public sealed class SuiteValidator
{
    /// <summary>Validates <paramref name="source"/> against <paramref name="suite"/>.</summary>
    /// <param name="source">The table.</param>
    /// <param name="suite">The suite (checked when parsed).</param>
    /// <param name="resultFormat">The run's result format; an expectation's own <c>result_format</c> kwarg wins. Default SUMMARY.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<SuiteValidationResult> ValidateAsync(TableSource source, ExpectationSuite suite, ResultFormat? resultFormat = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(suite);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await using var table = await DuckTable.OpenAsync(source, ct).ConfigureAwait(false);
        var (results, rowCount) = await RunAsync(table, suite, resultFormat ?? ResultFormat.Default, ct).ConfigureAwait(false);
        var meta = new JsonObject
        {
            ["validation_time"] = started.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["duration_seconds"] = clock.Elapsed.TotalSeconds,
            ["row_count"] = rowCount,
            ["batch_spec"] = new JsonObject
            {
                ["format"] = source.Format.ToString(),
                ["files"] = new JsonArray(source.Files.Select(f => (JsonNode)f).ToArray()),
            },
            ["engine"] = "keel-duckdb",
        };
        return new SuiteValidationResult(suite.Name, results, meta);
    }

    internal static async Task<(List<ExpectationValidationResult> Results, long RowCount)> RunAsync(DuckTable table, ExpectationSuite suite, ResultFormat runFormat, CancellationToken ct)
    {
        var outcomes = new ExpectationValidationResult?[suite.Expectations.Count];
        var checks = new List<(int Index, Check Check)>();
        for (var i = 0; i < suite.Expectations.Count; i++)
        {
            var config = suite.Expectations[i];
            var check = ExpectationCatalog.Compile(config, runFormat);
            var missing = check.Columns.FirstOrDefault(c => table.Find(c) is null);
            if (missing is not null)
            {
                outcomes[i] = Failed(config, $"The column \"{missing}\" in BatchData does not exist.");
                continue;
            }

            checks.Add((i, check));
        }

        // One scan for every check's aggregates; if DuckDB rejects the batch (a bad regex, a cast),
        // each check runs alone so only the faulty one fails.
        var planner = new Planner(table);
        planner.Add("count(*)");
        var planned = new List<(int Index, Check Check)>();
        foreach (var (index, check) in checks)
        {
            try
            {
                check.Plan(planner);
                planned.Add((index, check));
            }
            catch (CheckException e)
            {
                outcomes[index] = Failed(check.Config, e.Message);
            }
        }

        long rowCount;
        try
        {
            var row = await ScanAsync(table, planner, ct).ConfigureAwait(false);
            rowCount = JsonValues.ToLong(row[0]);
            var evaluation = new Evaluation(table, row, rowCount);
            foreach (var (index, check) in planned)
            {
                outcomes[index] = await EvaluateAsync(check, evaluation, ct).ConfigureAwait(false);
            }
        }
        catch (DuckDBException)
        {
            rowCount = JsonValues.ToLong((await table.QuerySingleAsync("SELECT count(*) FROM t", ct).ConfigureAwait(false))[0]);
            foreach (var (index, check) in planned)
            {
                outcomes[index] = await AloneAsync(table, check, ct).ConfigureAwait(false);
            }
        }

        return (outcomes.Select(o => o!).ToList(), rowCount);
    }

    private static async Task<ExpectationValidationResult> AloneAsync(DuckTable table, Check check, CancellationToken ct)
    {
        try
        {
            var planner = new Planner(table);
            planner.Add("count(*)");
            check.Plan(planner);
            var row = await ScanAsync(table, planner, ct).ConfigureAwait(false);
            return await EvaluateAsync(check, new Evaluation(table, row, JsonValues.ToLong(row[0])), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CheckException or DuckDBException)
        {
            return Failed(check.Config, Message(e));
        }
    }

    private static async Task<object?[]> ScanAsync(DuckTable table, Planner planner, CancellationToken ct)
    {
        var row = new object?[planner.Count];
        foreach (var (sql, slots) in planner.Queries())
        {
            var values = await table.QuerySingleAsync(sql, ct).ConfigureAwait(false);
            for (var i = 0; i < slots.Count; i++)
            {
                row[slots[i]] = values[i];
            }
        }

        return row;
    }

    private static async Task<ExpectationValidationResult> EvaluateAsync(Check check, Evaluation evaluation, CancellationToken ct)
    {
        try
        {
            var outcome = await check.EvaluateAsync(evaluation, ct).ConfigureAwait(false);
            var result = check.Format.Level == ResultFormatLevel.BooleanOnly ? [] : outcome.Result;
            return new ExpectationValidationResult(outcome.Success, check.Config, result);
        }
        catch (Exception e) when (e is CheckException or DuckDBException)
        {
            return Failed(check.Config, Message(e));
        }
    }

    private static ExpectationValidationResult Failed(ExpectationConfiguration config, string message) =>
        new(false, config, [], message);

    private static string Message(Exception e)
    {
        var text = e.Message;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
