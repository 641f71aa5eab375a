using System.Text.RegularExpressions;

namespace Keel.Cli.Commands.Deploy;

/// <summary>The name rules of the Kubernetes API, checked before a manifest is written.</summary>
internal static partial class KubernetesNames
{
    /// <summary>A DNS-1035 label: what Service names must be (and so every resource named after one).</summary>
    public static bool IsDns1035Label(string value) => value.Length <= 63 && Dns1035Label().IsMatch(value);

    /// <summary>A DNS-1123 label: namespaces.</summary>
    public static bool IsDns1123Label(string value) => value.Length <= 63 && Dns1123Label().IsMatch(value);

    /// <summary>A DNS-1123 subdomain: Secrets and ConfigMaps.</summary>
    public static bool IsDns1123Subdomain(string value) => value.Length <= 253 && Dns1123Subdomain().IsMatch(value);

    /// <summary>A valid label value (63 characters, alphanumerics with <c>-_.</c> inside).</summary>
    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    /// <summary>The resource base name for an endpoint: <c>keel-</c> plus the name in lower case with <c>_</c> as <c>-</c>.</summary>
    public static string ForEndpoint(string endpoint) => "keel-" + endpoint.ToLowerInvariant().Replace('_', '-');

    /// <summary>An image reference: <c>[registry[:port]/]path[:tag][@sha256:digest]</c>.</summary>
    public static bool IsImageReference(string value) => value.Length <= 512 && ImageReference().IsMatch(value);

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"^([A-Za-z0-9.-]+(:[0-9]{1,5})?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageReference();
}
