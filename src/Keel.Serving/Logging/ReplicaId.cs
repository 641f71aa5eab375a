using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Core.Configuration;

namespace Keel.Serving.Logging;

/// <summary>
/// The name a server writes its prediction log objects under. Replicas sharing a location must
/// differ in it, so the default joins the host name (a pod's name under Kubernetes) and the
/// process id (two servers on one host).
/// </summary>
internal static partial class ReplicaId
{
    public const int MaxLength = 64;

    private const string Rule = "1-64 letters, digits, '-', '_' or '.'";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Valid();

    [GeneratedRegex("[^A-Za-z0-9._-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();

    /// <summary>The given id, or INVALID_PARAMETER_VALUE naming <paramref name="source"/> and the rule.</summary>
    public static string Check(string value, string source) =>
        Valid().IsMatch(value) ? value : throw KeelEnvironment.Invalid(source, value, Rule);

    /// <summary><c>&lt;host&gt;-&lt;pid&gt;</c>, with what an object name must not hold replaced and the host cut to fit.</summary>
    public static string Default()
    {
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var host = Unsafe().Replace(Environment.MachineName, "-").Trim('-');
        if (host.Length == 0)
        {
            host = "keel";
        }

        host = host[..Math.Min(host.Length, MaxLength - pid.Length - 1)];
        return host + "-" + pid;
    }
}
