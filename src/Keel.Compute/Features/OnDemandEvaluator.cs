using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Features;
using NCalc;

namespace Keel.Compute.Features;

/// <summary>
/// Computes the features of an on-demand view from request fields and other views' features: the
/// one evaluator both offline retrieval and online reads call, so the two agree by construction.
/// Expressions are NCalc (arithmetic, comparisons, <c>if(c, a, b)</c>, <c>Abs</c>, <c>Log</c>, ...),
/// the library rather than a home-made parser; each is parsed once and evaluated per row.
/// Inputs are named bare (<c>conv_rate</c>) or in full (<c>[driver_hourly_stats__conv_rate]</c>).
/// Null in gives null out (NCalc propagates it); a row the expression cannot evaluate (a type
/// error, a non-finite number) also gives null, so one bad row never fails a whole request.
/// </summary>
public sealed class OnDemandEvaluator
{
    private readonly LogicalExpression[] _parsed;

    private OnDemandEvaluator(OnDemandFeatureView view, LogicalExpression[] parsed, IReadOnlyList<IReadOnlyList<string>> inputs)
    {
        View = view;
        _parsed = parsed;
        Inputs = inputs;
    }

    /// <summary>The view.</summary>
    public OnDemandFeatureView View { get; }

    /// <summary>Per feature, the names its expression reads.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Inputs { get; }

    /// <summary>
    /// Parses every expression of <paramref name="view"/> and checks that each name it reads is a
    /// request field or a feature of one of its sources (bare or <c>view__feature</c>).
    /// </summary>
    /// <param name="view">The on-demand view.</param>
    /// <param name="definitions">The definitions its sources are in.</param>
    /// <param name="field">The path of the view in messages, e.g. <c>on_demand_feature_views[0]</c>.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the feature and the problem.</exception>
    public static OnDemandEvaluator Compile(OnDemandFeatureView view, FeatureDefinitions definitions, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(definitions);
        field ??= $"on-demand view '{view.Name}'";
        var known = KnownNames(view, definitions);
        var parsed = new LogicalExpression[view.Features.Count];
        var inputs = new IReadOnlyList<string>[view.Features.Count];
        for (var i = 0; i < view.Features.Count; i++)
        {
            var feature = view.Features[i];
            var expression = new Expression(feature.Expression, CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(feature.Expression) || expression.HasErrors())
            {
                throw KeelException.InvalidParameter($"{field}.features[{i}].expression: '{feature.Expression}' is not a valid expression{(expression.Error is { } e ? ": " + e.Message : string.Empty)}.");
            }

            var names = expression.GetParameterNames().Distinct(StringComparer.Ordinal).ToList();
            var unknown = names.Where(n => !known.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                throw KeelException.InvalidParameter(
                    $"{field}.features[{i}].expression: '{string.Join("', '", unknown)}' is neither a request field nor a feature of {(view.Sources.Count == 0 ? "a source (the view has none)" : "'" + string.Join("', '", view.Sources) + "'")}.");
            }

            parsed[i] = expression.GetLogicalExpression() ?? throw KeelException.InvalidParameter($"{field}.features[{i}].expression: '{feature.Expression}' is not a valid expression.");
            inputs[i] = names;
        }

        return new OnDemandEvaluator(view, parsed, inputs);
    }

    /// <summary>
    /// The view's features for one row, normalized to their dtypes (<see cref="FeatureValues"/>).
    /// </summary>
    /// <param name="lookup">The value of a name (request field, bare feature or <c>view__feature</c>); null when absent.</param>
    public object?[] Evaluate(Func<string, object?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var values = new object?[_parsed.Length];
        for (var i = 0; i < _parsed.Length; i++)
        {
            values[i] = EvaluateOne(i, lookup);
        }

        return values;
    }

    private object? EvaluateOne(int index, Func<string, object?> lookup)
    {
        var expression = new Expression(_parsed[index], cultureInfo: CultureInfo.InvariantCulture);
        foreach (var name in Inputs[index])
        {
            var value = lookup(name);
            if (value is null)
            {
                return null;
            }

            expression.Parameters[name] = value;
        }

        object? result;
        try
        {
            result = expression.Evaluate();
        }
        catch (Exception e) when (e is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            return null;
        }

        if (result is double d && (double.IsNaN(d) || double.IsInfinity(d)))
        {
            return null;
        }

        return FeatureValues.Normalize(result, View.Features[index].Dtype);
    }

    private static HashSet<string> KnownNames(OnDemandFeatureView view, FeatureDefinitions definitions)
    {
        var known = new HashSet<string>(view.RequestFields.Select(f => f.Name), StringComparer.Ordinal);
        foreach (var source in view.Sources)
        {
            if (definitions.FindView(source) is { } fv)
            {
                foreach (var f in fv.Features)
                {
                    known.Add(f.Name);
                    known.Add(source + "__" + f.Name);
                }
            }
        }

        return known;
    }
}
