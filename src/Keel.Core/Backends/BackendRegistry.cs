using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Core.Backends;

/// <summary>
/// The backends a process can open, keyed by URI scheme: each backend project adds its provider,
/// and every composition (server, worker, CLI) opens stores only through here, so a URI means the
/// same thing everywhere and a bad one fails at start naming its option and the forms accepted.
/// </summary>
public sealed class BackendRegistry
{
    private readonly Dictionary<string, IMetadataBackendProvider> _metadata = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IArtifactBackendProvider> _artifacts = new(StringComparer.Ordinal);
    private readonly List<IMetadataBackendProvider> _metadataProviders = [];
    private readonly List<IArtifactBackendProvider> _artifactProviders = [];

    /// <summary>Adds a metadata backend.</summary>
    /// <param name="provider">The provider; its schemes must not be taken.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A scheme (or plain paths) is already registered.</exception>
    public BackendRegistry Add(IMetadataBackendProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Claim(_metadata, provider.Schemes, provider, provider.OpensPlainPaths && _metadataProviders.Any(p => p.OpensPlainPaths));
        _metadataProviders.Add(provider);
        return this;
    }

    /// <summary>Adds an artifact backend.</summary>
    /// <param name="provider">The provider; its schemes must not be taken.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A scheme (or plain paths) is already registered.</exception>
    public BackendRegistry Add(IArtifactBackendProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Claim(_artifacts, provider.Schemes, provider, provider.OpensPlainPaths && _artifactProviders.Any(p => p.OpensPlainPaths));
        _artifactProviders.Add(provider);
        return this;
    }

    /// <summary>The metadata URI forms accepted, for help texts and messages.</summary>
    public IReadOnlyList<string> MetadataForms => [.. _metadataProviders.Select(p => p.Form)];

    /// <summary>The artifact URI forms accepted, for help texts and messages.</summary>
    public IReadOnlyList<string> ArtifactForms => [.. _artifactProviders.Select(p => p.Form)];

    /// <summary>True when <paramref name="uri"/> names a registered metadata backend (by scheme, or a plain path).</summary>
    /// <param name="uri">A URI or path.</param>
    public bool IsMetadataUri(string uri) => FindMetadata(uri) is not null;

    /// <summary>True when <paramref name="uri"/> names a registered artifact backend (by scheme, or a plain path).</summary>
    /// <param name="uri">A URI or path.</param>
    public bool IsArtifactUri(string uri) => FindArtifacts(uri) is not null;

    /// <summary>Opens every metadata store on the database <see cref="MetadataBackendSettings.Uri"/> names.</summary>
    /// <param name="settings">The URI, its option, the default artifact root.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option and the forms accepted; TEMPORARILY_UNAVAILABLE when the database cannot be reached.</exception>
    public IMetadataBackend OpenMetadata(MetadataBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = FindMetadata(settings.Uri)
            ?? throw KeelException.InvalidParameter(
                $"Unsupported backend store URI '{RedactMetadata(settings.Uri)}' ({settings.Option}): expected {Forms(_metadataProviders.Select(p => p.Form), _metadataProviders.Any(p => p.OpensPlainPaths), "a file path")}.");
        try
        {
            return provider.Open(settings);
        }
        catch (ArgumentException e)
        {
            throw KeelException.InvalidParameter(MessageOf(e));
        }
    }

    /// <summary>Looks at the database <see cref="MetadataBackendSettings.Uri"/> names without changing it: reachable, schema version, engine version.</summary>
    /// <param name="settings">The URI and its option.</param>
    /// <param name="timeout">How long to wait for the database to answer.</param>
    /// <param name="cancellationToken">Cancels the look.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option and the forms accepted; TEMPORARILY_UNAVAILABLE when the database cannot be reached.</exception>
    public async Task<MetadataBackendProbe> ProbeMetadataAsync(MetadataBackendSettings settings, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = FindMetadata(settings.Uri)
            ?? throw KeelException.InvalidParameter(
                $"Unsupported backend store URI '{RedactMetadata(settings.Uri)}' ({settings.Option}): expected {Forms(_metadataProviders.Select(p => p.Form), _metadataProviders.Any(p => p.OpensPlainPaths), "a file path")}.");
        try
        {
            return await provider.ProbeAsync(settings, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw KeelException.InvalidParameter(MessageOf(e));
        }
    }

    /// <summary>Opens the artifact store <paramref name="uri"/> names, behind the path guard every caller goes through.</summary>
    /// <param name="uri">The destination URI or directory.</param>
    /// <param name="option">Where it came from, named in messages.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option and the forms accepted.</exception>
    public IArtifactStore OpenArtifacts(string uri, string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        ArgumentException.ThrowIfNullOrEmpty(option);
        var provider = FindArtifacts(uri)
            ?? throw KeelException.InvalidParameter(
                $"Unsupported artifacts destination '{uri}' ({option}): expected {Forms(_artifactProviders.Select(p => p.Form), _artifactProviders.Any(p => p.OpensPlainPaths), "a directory path")}.");
        try
        {
            return GuardedArtifactStore.Wrap(provider.Open(uri, option));
        }
        catch (ArgumentException e)
        {
            throw KeelException.InvalidParameter(MessageOf(e));
        }
    }

    /// <summary>The URI with any password replaced, for messages and logs.</summary>
    /// <param name="uri">A backend store URI.</param>
    public string RedactMetadata(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return FindMetadata(uri)?.Redact(uri) ?? RedactUserInfo(uri);
    }

    /// <summary>
    /// The lower-case scheme of <paramref name="value"/> without a <c>+driver</c> suffix
    /// (<c>postgresql+psycopg2://</c> is <c>postgresql</c>), or null for a plain path; a Windows
    /// drive letter (<c>C:\data</c>) is a path.
    /// </summary>
    /// <param name="value">A URI or path.</param>
    public static string? SchemeOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 1 || !char.IsAsciiLetter(value[0]) || !value.AsSpan(0, colon).ContainsOnlySchemeCharacters())
        {
            return null;
        }

        var scheme = value[..colon].ToLowerInvariant();
        var plus = scheme.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? scheme : scheme[..plus];
    }

    private IMetadataBackendProvider? FindMetadata(string uri) =>
        SchemeOf(uri) is { } scheme ? _metadata.GetValueOrDefault(scheme) : _metadataProviders.FirstOrDefault(p => p.OpensPlainPaths);

    private IArtifactBackendProvider? FindArtifacts(string uri) =>
        SchemeOf(uri) is { } scheme ? _artifacts.GetValueOrDefault(scheme) : _artifactProviders.FirstOrDefault(p => p.OpensPlainPaths);

    private static void Claim<T>(Dictionary<string, T> table, IReadOnlyList<string> schemes, T provider, bool plainPathsTaken)
    {
        if (plainPathsTaken)
        {
            throw new InvalidOperationException($"{provider} opens plain paths, which another registered backend already does.");
        }

        foreach (var scheme in schemes)
        {
            if (scheme.Length == 0 || scheme != scheme.ToLowerInvariant() || scheme.Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{provider}: scheme '{scheme}' must be lower case, without ':'.");
            }

            if (!table.TryAdd(scheme, provider))
            {
                throw new InvalidOperationException($"The URI scheme '{scheme}' is registered twice ({table[scheme]} and {provider}).");
            }
        }
    }

    private static string Forms(IEnumerable<string> forms, bool plainPaths, string plain)
    {
        var all = forms.ToList();
        if (plainPaths)
        {
            all.Add(plain);
        }

        return all.Count switch
        {
            0 => "a registered backend (none is)",
            1 => all[0],
            _ => string.Join(", ", all[..^1]) + " or " + all[^1],
        };
    }

    // user:password@ keeps the user; a lone user name may be a token, so it goes too.
    private static string RedactUserInfo(string uri)
    {
        var start = uri.IndexOf("://", StringComparison.Ordinal);
        var end = start < 0 ? -1 : uri.IndexOfAny(['/', '?', '#'], start + 3);
        var authority = start < 0 ? string.Empty : end < 0 ? uri[(start + 3)..] : uri[(start + 3)..end];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return uri;
        }

        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        var kept = colon >= 0 && colon < at ? authority[..(colon + 1)] : string.Empty;
        return uri[..(start + 3)] + kept + "***" + authority[at..] + (end < 0 ? string.Empty : uri[end..]);
    }

    // Providers throw ArgumentException with a whole sentence; the parameter name adds nothing for a user.
    private static string MessageOf(ArgumentException e)
    {
        var suffix = e.ParamName is null ? null : $" (Parameter '{e.ParamName}')";
        return suffix is not null && e.Message.EndsWith(suffix, StringComparison.Ordinal) ? e.Message[..^suffix.Length] : e.Message;
    }
}
