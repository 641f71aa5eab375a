using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Data.Tests.Validation;

/// <summary>
/// The same rows as CSV, Parquet (where dictionary-encoded text columns take the distinct-value
/// path) and JSON Lines give the same results for the whole reference suite.
/// </summary>
public sealed class FormatParityTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference");

    [Fact]
    public async Task Csv_parquet_and_json_lines_agree_on_the_reference_suite()
    {
        var tmp = Directory.CreateTempSubdirectory("keel-parity-");
        try
        {
            // The fixture repeated, so DuckDB finds dictionaries worth writing for the text columns.
            var lines = await File.ReadAllLinesAsync(Path.Combine(Dir, "fixture.csv"));
            var csv = Path.Combine(tmp.FullName, "fixture.csv");
            await File.WriteAllLinesAsync(csv, lines.Take(1).Concat(Enumerable.Repeat(lines.Skip(1), 300).SelectMany(x => x)));
            var parquet = Path.Combine(tmp.FullName, "fixture.parquet");
            var jsonl = Path.Combine(tmp.FullName, "fixture.jsonl");
            using (var connection = new DuckDBConnection("Data Source=:memory:"))
            {
                await connection.OpenAsync();
                await using var cmd = connection.CreateCommand();
                var read = $"read_csv('{csv}', header = true, auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR'], nullstr = ['', 'null'])";
                cmd.CommandText = $"COPY (SELECT * FROM {read}) TO '{parquet}' (FORMAT parquet, ROW_GROUP_SIZE 1000); COPY (SELECT * FROM {read}) TO '{jsonl}' (FORMAT json)";
                await cmd.ExecuteNonQueryAsync();
            }

            await using (var table = await DuckTable.OpenAsync(new TableSource([parquet], TableFormat.Parquet), CancellationToken.None))
            {
                // The path under test: DuckDB writes these text columns dictionary-encoded.
                Assert.True(table.IsLowCardinalityText("category"));
                Assert.False(table.IsLowCardinalityText("id"));
            }

            var suite = ExpectationSuite.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "reference_suite.json")));
            var format = new ResultFormat(ResultFormatLevel.Complete);
            var validator = new SuiteValidator();
            var fromCsv = await validator.ValidateAsync(TableSource.Open(csv), suite, format);
            foreach (var other in new[] { parquet, jsonl })
            {
                var result = await validator.ValidateAsync(TableSource.Open(other), suite, format);
                for (var i = 0; i < suite.Expectations.Count; i++)
                {
                    var a = fromCsv.Results[i];
                    var b = result.Results[i];
                    Assert.True(a.Success == b.Success, $"{Path.GetExtension(other)} {i} {a.Expectation.Type}: {a.Success} vs {b.Success} {b.ExceptionMessage}");
                    Assert.True(JsonNumbers.Equal(a.Result, b.Result), $"{Path.GetExtension(other)} {i} {a.Expectation.Type}: {a.Result.ToJsonString()} vs {b.Result.ToJsonString()}");
                }
            }
        }
        finally
        {
            tmp.Delete(true);
        }
    }
}
