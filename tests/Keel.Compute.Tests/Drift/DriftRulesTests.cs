using Keel.Compute.Drift;
using Xunit;

namespace Keel.Compute.Tests.Drift;

/// <summary>Evidently's rules (automatic choice, precedence, thresholds) and values quoted in Evidently's own tests.</summary>
public sealed class DriftRulesTests
{
    private static string?[] Repeat(string[] values, int[] times) =>
        values.SelectMany((v, i) => Enumerable.Repeat<string?>(v, times[i])).ToArray();

    // Evidently tests/stattests/test_stattests.py::test_freq_obs_eq_freq_exp (values quoted there).
    [Fact]
    public void Evidently_quoted_chisquare_and_hellinger()
    {
        var labels = new[] { "1", "2", "3", "4", "5", "6" };
        var reference = Repeat(labels, [16, 18, 16, 14, 12, 12]);
        var current = Repeat(labels, [16, 16, 16, 16, 16, 8]);
        var column = DriftColumn.Categorical("c", reference, current);
        var chi = DriftEngine.CompareColumn(column, new DriftOptions { Method = StatTests.ChiSquare, Threshold = 0.5 });
        var hellinger = DriftEngine.CompareColumn(column, new DriftOptions { Method = StatTests.Hellinger });
        // Evidently asserts these with pytest.approx(abs=1e-5).
        Assert.InRange(chi.DriftScore, 0.67309 - 1e-5, 0.67309 + 1e-5);
        Assert.False(chi.DriftDetected);
        Assert.InRange(hellinger.DriftScore, 0.06812 - 1e-5, 0.06812 + 1e-5);
    }

    // Evidently's test_z_stat_test_cat_feature calls the z function directly on ["a", nan] and so counts
    // nan as "not a" (score 1.0); its drift pipeline (get_one_column_drift) drops missing values first,
    // which is what Keel does: the same as a reference without the missing values.
    [Fact]
    public void Missing_values_are_dropped_before_the_test()
    {
        var withMissing = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "a" : null).ToArray();
        var without = Enumerable.Repeat<string?>("a", 10).ToArray();
        var current = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? "a" : "b").ToArray();
        var options = new DriftOptions { Method = StatTests.Z };
        var a = DriftEngine.CompareColumn(DriftColumn.Categorical("c", withMissing, current), options);
        var b = DriftEngine.CompareColumn(DriftColumn.Categorical("c", without, current), options);
        Assert.Equal(b.DriftScore, a.DriftScore);
        Assert.Equal(10, a.ReferenceCount);
    }

    // Evidently tests/stattests/test_registry.py: [1..5]*1000 numeric → jensenshannon; ["a","b"]*10000 → jensenshannon.
    [Theory]
    [InlineData(1000, 6, "ks")]
    [InlineData(1000, 5, "chisquare")]
    [InlineData(1000, 3, "chisquare")]
    [InlineData(1000, 2, "z")]
    [InlineData(1001, 6, "wasserstein")]
    [InlineData(5000, 5, "jensenshannon")]
    public void Automatic_choice_for_numeric_columns(int size, int distinct, string expected)
    {
        var reference = Enumerable.Range(0, size).Select(i => (double)(i % distinct)).ToArray();
        var result = DriftEngine.CompareColumn(DriftColumn.Numeric("x", reference, reference));
        Assert.Equal(expected, result.StatTest);
    }

    [Theory]
    [InlineData(1000, 3, "chisquare")]
    [InlineData(1000, 2, "z")]
    [InlineData(1001, 2, "jensenshannon")]
    public void Automatic_choice_for_categorical_columns(int size, int distinct, string expected)
    {
        var reference = Enumerable.Range(0, size).Select(i => ((char)('a' + i % distinct)).ToString()).ToArray();
        var result = DriftEngine.CompareColumn(DriftColumn.Categorical("c", reference, reference));
        Assert.Equal(expected, result.StatTest);
    }

    [Fact]
    public void Distinct_values_count_reference_and_current_together()
    {
        // 3 values in the reference, 3 others in the current: 6 together, so ks, not chi-square.
        var result = DriftEngine.CompareColumn(DriftColumn.Numeric("x", new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 }));
        Assert.Equal("ks", result.StatTest);
    }

    [Fact]
    public void Precedence_per_column_over_per_type_over_global()
    {
        var options = new DriftOptions
        {
            Method = StatTests.Psi,
            NumericMethod = StatTests.Ks,
            ColumnMethods = new Dictionary<string, string> { ["b"] = StatTests.Wasserstein },
            Threshold = 0.2,
            NumericThreshold = 0.01,
            ColumnThresholds = new Dictionary<string, double> { ["b"] = 0.3 },
        };
        Assert.Equal("ks", options.MethodFor("a", DriftColumnType.Numerical));
        Assert.Equal("wasserstein", options.MethodFor("b", DriftColumnType.Numerical));
        Assert.Equal("psi", options.MethodFor("c", DriftColumnType.Categorical));
        Assert.Equal(0.01, options.ThresholdFor("a", DriftColumnType.Numerical));
        Assert.Equal(0.3, options.ThresholdFor("b", DriftColumnType.Numerical));
        Assert.Equal(0.2, options.ThresholdFor("c", DriftColumnType.Categorical));
        Assert.Null(DriftOptions.Default.ThresholdFor("a", DriftColumnType.Numerical));
    }

    [Fact]
    public void Detection_edges_ks_at_or_below_other_tests_strictly_below_distances_at_or_above()
    {
        Assert.True(StatTests.Detects("ks", 0.05, 0.05));
        Assert.False(StatTests.Detects("chisquare", 0.05, 0.05));
        Assert.False(StatTests.Detects("z", 0.05, 0.05));
        Assert.True(StatTests.Detects("z", 0.0499, 0.05));
        Assert.True(StatTests.Detects("wasserstein", 0.1, 0.1));
        Assert.False(StatTests.Detects("jensenshannon", 0.0999, 0.1));
        Assert.Equal(0.05, StatTests.DefaultThreshold("ks"));
        Assert.Equal(0.1, StatTests.DefaultThreshold("psi"));
    }

    [Fact]
    public void Dataset_drift_when_share_reaches_drift_share()
    {
        var same = Enumerable.Range(0, 2000).Select(i => (double)i).ToArray();
        var moved = same.Select(v => v + 5000).ToArray();
        var columns = new[]
        {
            DriftColumn.Numeric("a", same, moved),
            DriftColumn.Numeric("b", same, same),
        };
        var half = DriftEngine.Compare(columns);
        Assert.Equal(1, half.NumberOfDriftedColumns);
        Assert.Equal(0.5, half.ShareOfDriftedColumns);
        Assert.True(half.DatasetDrift);
        Assert.False(DriftEngine.Compare(columns, new DriftOptions { DriftShare = 0.51 }).DatasetDrift);
    }

    [Fact]
    public void Constant_and_one_sided_columns_give_clear_numbers()
    {
        var constant = DriftEngine.CompareColumn(DriftColumn.Numeric("x", Enumerable.Repeat(3.0, 2000).ToArray(), Enumerable.Repeat(3.0, 10).ToArray()));
        Assert.Equal("jensenshannon", constant.StatTest);
        Assert.Equal(0, constant.DriftScore);
        var single = DriftEngine.CompareColumn(DriftColumn.Categorical("c", ["a", "a"], ["a"]), new DriftOptions { Method = StatTests.ChiSquare });
        Assert.Equal(1, single.DriftScore);
        var newCategory = DriftEngine.CompareColumn(DriftColumn.Categorical("c", ["a", "b", "a"], ["a", "b", "c"]), new DriftOptions { Method = StatTests.Psi });
        Assert.True(double.IsFinite(newCategory.DriftScore));
        Assert.True(newCategory.DriftDetected);
    }

    [Fact]
    public void Empty_column_is_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => DriftEngine.CompareColumn(DriftColumn.Numeric("x", new[] { double.NaN }, new[] { 1.0 })));
        Assert.Contains("'x'", ex.Message);
        Assert.Contains("reference", ex.Message);
    }

    [Theory]
    [InlineData("bogus", null, "method")]
    [InlineData("ks", null, "method")]
    [InlineData(null, -1.0, "threshold")]
    public void Bad_options_name_the_option(string? method, double? threshold, string option)
    {
        var columns = new Dictionary<string, DriftColumnType> { ["c"] = DriftColumnType.Categorical };
        var ex = Assert.Throws<DriftOptionsException>(() => DriftEngine.Validate(new DriftOptions { Method = method, Threshold = threshold }, columns));
        Assert.Equal(option, ex.Option);
    }

    [Fact]
    public void Unknown_column_in_per_column_is_refused()
    {
        var columns = new Dictionary<string, DriftColumnType> { ["c"] = DriftColumnType.Categorical };
        var options = new DriftOptions { ColumnMethods = new Dictionary<string, string> { ["nope"] = "psi" } };
        Assert.Equal("per-column", Assert.Throws<DriftOptionsException>(() => DriftEngine.Validate(options, columns)).Option);
    }

    [Fact]
    public void Summaries_score_on_reference_bins_and_merge()
    {
        var rng = new Random(7);
        var reference = Enumerable.Range(0, 5000).Select(_ => rng.NextDouble()).ToArray();
        var shifted = Enumerable.Range(0, 5000).Select(_ => rng.NextDouble() + 0.3).ToArray();
        var edges = HistogramSummary.EqualWidthEdges(0, 1, 10);
        var r = HistogramSummary.FromValues(reference, edges);
        var firstHalf = HistogramSummary.FromValues(shifted.AsSpan(0, 2500), edges);
        var secondHalf = HistogramSummary.FromValues(shifted.AsSpan(2500), edges);
        var whole = HistogramSummary.FromValues(shifted, edges);
        var merged = firstHalf.Merge(secondHalf);
        Assert.Equal(whole.Counts, merged.Counts);
        Assert.Equal(whole.Overflow, merged.Overflow);
        Assert.Equal(whole.StandardDeviation, merged.StandardDeviation, 9);

        var summary = DriftEngine.CompareSummaries("x", r, merged);
        Assert.Equal("wasserstein", summary.StatTest);
        Assert.False(summary.Exact);
        Assert.True(summary.DriftDetected);
        var raw = DriftEngine.CompareColumn(DriftColumn.Numeric("x", reference, shifted));
        // Overflow sits on the last edge, so the binned approximation can only undershoot the raw distance.
        Assert.InRange(summary.DriftScore, raw.DriftScore * 0.7, raw.DriftScore);
        var ks = DriftEngine.CompareSummaries("x", r, merged, new DriftOptions { Method = StatTests.Ks });
        Assert.True(ks.DriftDetected);

        var cats = CategoryCounts.FromValues(["a", "b", "a", null]);
        var same = DriftEngine.CompareSummaries("c", cats, cats.Merge(cats), new DriftOptions { Method = StatTests.JensenShannon });
        Assert.Equal(0, same.DriftScore, 12);
        Assert.True(same.Exact);
    }
}
