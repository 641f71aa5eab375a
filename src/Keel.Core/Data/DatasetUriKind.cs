namespace Keel.Core.Data;

/// <summary>What a dataset URI points at.</summary>
public enum DatasetUriKind
{
    /// <summary><c>datasets:/name/3</c>: one immutable version.</summary>
    Version,

    /// <summary><c>datasets:/name@golden</c>: the version an alias names now.</summary>
    Alias,

    /// <summary><c>datasets:/name@latest</c> (or <c>datasets:/name/latest</c>): the highest version.</summary>
    Latest,
}
