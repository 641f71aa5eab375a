using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Features;

namespace Keel.Compute.Features;

/// <summary>Where one requested feature's values come from.</summary>
/// <param name="Reference">The requested <c>view:feature</c>.</param>
/// <param name="Name">Its output column: <c>feature</c> or <c>view__feature</c>.</param>
/// <param name="Dtype">Its type.</param>
/// <param name="Inner">For a feature-view feature: its index among <see cref="OnDemandPlan.InnerReferences"/>; -1 for an on-demand one.</param>
/// <param name="Evaluator">For an on-demand feature: the index of its view's evaluator; -1 otherwise.</param>
/// <param name="Feature">For an on-demand feature: its index among the view's features.</param>
public sealed record PlannedFeature(FeatureReference Reference, string Name, FeatureDtype Dtype, int Inner, int Evaluator, int Feature);

/// <summary>
/// How a request that names on-demand features is answered by both retrieval paths: the plain
/// feature-view features to read (the requested ones plus those the expressions need, each once),
/// then each on-demand view evaluated per row from those values and the row's request fields.
/// Offline retrieval and online reads both build this plan, so they read and compute the same.
/// </summary>
public sealed class OnDemandPlan
{
    private readonly List<Binding[]> _bindings;

    private OnDemandPlan(IReadOnlyList<FeatureReference> inner, IReadOnlyList<PlannedFeature> outputs, IReadOnlyList<OnDemandEvaluator> evaluators, List<Binding[]> bindings, IReadOnlyList<string> requestFields)
    {
        InnerReferences = inner;
        Outputs = outputs;
        Evaluators = evaluators;
        _bindings = bindings;
        RequestFields = requestFields;
    }

    /// <summary>The feature-view features to read, each once, in the order first needed.</summary>
    public IReadOnlyList<FeatureReference> InnerReferences { get; }

    /// <summary>The requested features, in the order asked.</summary>
    public IReadOnlyList<PlannedFeature> Outputs { get; }

    /// <summary>One evaluator per on-demand view used.</summary>
    public IReadOnlyList<OnDemandEvaluator> Evaluators { get; }

    /// <summary>Request fields the rows must carry (offline: columns of the entity file; online: entries of the request).</summary>
    public IReadOnlyList<string> RequestFields { get; }

    /// <summary>True when any requested feature is on-demand.</summary>
    public bool HasOnDemand => Evaluators.Count > 0;

    /// <summary>Plans <paramref name="requested"/> against <paramref name="definitions"/>.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming an unknown view or feature, or two outputs of one name.</exception>
    public static OnDemandPlan Build(FeatureDefinitions definitions, IReadOnlyList<FeatureReference> requested, bool fullFeatureNames)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(requested);
        var inner = new List<FeatureReference>();
        int InnerIndex(FeatureReference r)
        {
            var i = inner.IndexOf(r);
            if (i < 0)
            {
                inner.Add(r);
                i = inner.Count - 1;
            }

            return i;
        }

        var outputs = new List<PlannedFeature>(requested.Count);
        var evaluators = new List<OnDemandEvaluator>();
        var bindings = new List<Binding[]>();
        var requestFields = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in requested)
        {
            var name = fullFeatureNames ? reference.FullName : reference.Feature;
            if (!names.Add(name))
            {
                throw KeelException.InvalidParameter(fullFeatureNames
                    ? $"'{reference}' is asked for twice."
                    : $"Two requested features are named '{name}': use full feature names (view__feature) to tell them apart.");
            }

            if (definitions.FindView(reference.View) is { } view)
            {
                var field = view.Features.FirstOrDefault(f => f.Name == reference.Feature)
                    ?? throw KeelException.InvalidParameter($"Feature view '{view.Name}' has no feature '{reference.Feature}'; it has: {string.Join(", ", view.Features.Select(f => f.Name))}.");
                outputs.Add(new PlannedFeature(reference, name, field.Dtype, InnerIndex(reference), -1, -1));
                continue;
            }

            var odfv = definitions.FindOnDemandView(reference.View)
                ?? throw KeelException.InvalidParameter($"Unknown feature view '{reference.View}' in '{reference}'.");
            var featureIndex = odfv.Features.ToList().FindIndex(f => f.Name == reference.Feature);
            if (featureIndex < 0)
            {
                throw KeelException.InvalidParameter($"On-demand view '{odfv.Name}' has no feature '{reference.Feature}'; it has: {string.Join(", ", odfv.Features.Select(f => f.Name))}.");
            }

            var e = evaluators.FindIndex(x => x.View.Name == odfv.Name);
            if (e < 0)
            {
                var evaluator = OnDemandEvaluator.Compile(odfv, definitions);
                var binding = new Dictionary<string, Binding>(StringComparer.Ordinal);
                foreach (var input in evaluator.Inputs.SelectMany(i => i).Distinct(StringComparer.Ordinal))
                {
                    binding[input] = Bind(definitions, odfv, input, InnerIndex, requestFields);
                }

                evaluators.Add(evaluator);
                bindings.Add([.. binding.Values]);
                e = evaluators.Count - 1;
            }

            outputs.Add(new PlannedFeature(reference, name, odfv.Features[featureIndex].Dtype, -1, e, featureIndex));
        }

        return new OnDemandPlan(inner, outputs, evaluators, bindings, requestFields);
    }

    /// <summary>
    /// The on-demand features of one row: per evaluator, its view's values, from the row's read
    /// feature values (<paramref name="innerValue"/> by inner index) and request fields.
    /// </summary>
    /// <param name="innerValue">The value of the row's inner feature at an index (null when missing or expired).</param>
    /// <param name="requestField">The row's value of a request field.</param>
    public object?[][] Evaluate(Func<int, object?> innerValue, Func<string, object?> requestField)
    {
        ArgumentNullException.ThrowIfNull(innerValue);
        ArgumentNullException.ThrowIfNull(requestField);
        var results = new object?[Evaluators.Count][];
        for (var e = 0; e < Evaluators.Count; e++)
        {
            var binding = _bindings[e];
            results[e] = Evaluators[e].Evaluate(name =>
            {
                foreach (var b in binding)
                {
                    if (b.Name == name)
                    {
                        return b.Inner >= 0 ? innerValue(b.Inner) : requestField(b.RequestField!);
                    }
                }

                return null;
            });
        }

        return results;
    }

    private static Binding Bind(FeatureDefinitions definitions, OnDemandFeatureView odfv, string input, Func<FeatureReference, int> innerIndex, List<string> requestFields)
    {
        if (odfv.RequestFields.Any(f => f.Name == input))
        {
            if (!requestFields.Contains(input))
            {
                requestFields.Add(input);
            }

            return new Binding(input, -1, input);
        }

        foreach (var source in odfv.Sources)
        {
            if (definitions.FindView(source) is { } view)
            {
                foreach (var f in view.Features)
                {
                    if (f.Name == input || source + "__" + f.Name == input)
                    {
                        return new Binding(input, innerIndex(new FeatureReference(source, f.Name)), null);
                    }
                }
            }
        }

        throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"On-demand view '{odfv.Name}' reads '{input}', which is neither a request field nor a feature of its sources."));
    }

    private sealed record Binding(string Name, int Inner, string? RequestField);
}
