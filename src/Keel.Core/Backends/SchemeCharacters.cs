namespace Keel.Core.Backends;

/// <summary>RFC 3986's scheme alphabet.</summary>
internal static class SchemeCharacters
{
    public static bool ContainsOnlySchemeCharacters(this ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
