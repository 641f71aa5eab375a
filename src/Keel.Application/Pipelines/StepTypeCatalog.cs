using Keel.Core.Errors;

namespace Keel.Application.Pipelines;

/// <summary>The step types a process knows, by name.</summary>
public sealed class StepTypeCatalog
{
    private readonly Dictionary<string, IStepType> _types;

    /// <param name="types">The types; names must be unique.</param>
    public StepTypeCatalog(IEnumerable<IStepType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = new Dictionary<string, IStepType>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (!_types.TryAdd(type.Name, type))
            {
                throw new ArgumentException($"Step type '{type.Name}' is registered twice.", nameof(types));
            }
        }
    }

    /// <summary>Every type, by name.</summary>
    public IReadOnlyList<IStepType> All => [.. _types.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The type of a name, or null.</summary>
    /// <param name="name">The type's name.</param>
    public IStepType? Find(string name) => _types.GetValueOrDefault(name);

    /// <summary>The type of a step; INVALID_PARAMETER_VALUE naming the step when it is unknown.</summary>
    /// <param name="step">The step's name.</param>
    /// <param name="type">The type's name.</param>
    public IStepType Require(string step, string type) =>
        Find(type) ?? throw KeelException.InvalidParameter(
            $"Step '{step}' has unknown type '{type}'; known types: {string.Join(", ", _types.Keys.Order(StringComparer.Ordinal))}.");
}
