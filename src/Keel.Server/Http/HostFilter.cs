using System.Net;
using System.Net.NetworkInformation;

namespace Keel.Server.Http;

/// <summary>
/// Decides whether a request's Host header names this server. DNS rebinding makes a hostile
/// domain resolve to 127.0.0.1, so the browser sends that domain as the Host: refusing names the
/// server was not told about keeps such pages out while localhost and literal addresses work.
/// </summary>
internal sealed class HostFilter
{
    private readonly bool _any;
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hostsWithPort = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];

    public HostFilter(IReadOnlyList<string> allowed, string boundHost)
    {
        if (allowed.Count == 0)
        {
            foreach (var host in Defaults(boundHost))
            {
                _hosts.Add(host);
            }

            return;
        }

        foreach (var entry in allowed)
        {
            if (entry == "*")
            {
                _any = true;
            }
            else if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                _suffixes.Add(entry[1..]);
            }
            else if (Split(entry) is { Port: not null } withPort)
            {
                _hostsWithPort.Add(withPort.Host + ":" + withPort.Port);
            }
            else
            {
                _hosts.Add(Split(entry).Host);
            }
        }
    }

    public bool Allows(string? hostHeader)
    {
        if (_any)
        {
            return true;
        }

        if (string.IsNullOrEmpty(hostHeader))
        {
            return false;
        }

        var (host, port) = Split(hostHeader);
        return _hosts.Contains(host)
            || (port is not null && _hostsWithPort.Contains(host + ":" + port))
            || _suffixes.Exists(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase) && host.Length > s.Length);
    }

    /// <summary>Splits <c>host[:port]</c> or <c>[v6]:port</c>; the host keeps its IPv6 brackets.</summary>
    internal static (string Host, string? Port) Split(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            return close < 0
                ? (value, null)
                : (value[..(close + 1)], close + 2 < value.Length && value[close + 1] == ':' ? value[(close + 2)..] : null);
        }

        var colon = value.LastIndexOf(':');
        // A bare IPv6 address has several colons and no port.
        return colon < 0 || value.IndexOf(':', StringComparison.Ordinal) != colon ? (value, null) : (value[..colon], value[(colon + 1)..]);
    }

    private static IEnumerable<string> Defaults(string boundHost)
    {
        yield return "localhost";
        yield return "127.0.0.1";
        yield return "[::1]";
        if (!IPAddress.TryParse(boundHost.Trim('[', ']'), out var bound))
        {
            yield return boundHost; // A host name the operator bound to.
            yield break;
        }

        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            yield return Literal(bound);
            yield break;
        }

        // Bound to every interface: the machine's own addresses are the bound addresses.
        foreach (var address in LocalAddresses())
        {
            yield return Literal(address);
        }
    }

    private static IEnumerable<IPAddress> LocalAddresses()
    {
        IPAddress[] addresses;
        try
        {
            addresses = [.. NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)];
        }
        catch (NetworkInformationException)
        {
            addresses = [];
        }

        return addresses;
    }

    private static string Literal(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        // Host headers carry IPv6 literals without the zone (%eth0).
        var withoutScope = new IPAddress(address.GetAddressBytes());
        return "[" + withoutScope + "]";
    }
}
