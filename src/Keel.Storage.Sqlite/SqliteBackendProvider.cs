using System.Globalization;
using Keel.Core.Backends;
using Keel.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>
/// The embedded metadata backend: <c>sqlite:///&lt;absolute path&gt;</c> as MLflow writes it, or a
/// plain file path. Every store opened here shares the file's one <see cref="SqliteDatabase"/>.
/// </summary>
public sealed class SqliteBackendProvider : IMetadataBackendProvider
{
    private const string Prefix = "sqlite:///";

    /// <inheritdoc/>
    public IReadOnlyList<string> Schemes { get; } = ["sqlite"];

    /// <inheritdoc/>
    public string Form => "sqlite:///<absolute path>";

    /// <inheritdoc/>
    public bool OpensPlainPaths => true;

    /// <inheritdoc/>
    public IMetadataBackend Open(MetadataBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = DatabasePath(settings.Uri, settings.Option);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SqliteMetadataBackend(path, settings.DefaultArtifactRoot);
    }

    /// <inheritdoc/>
    public Task<MetadataBackendProbe> ProbeAsync(MetadataBackendSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = DatabasePath(settings.Uri, settings.Option);
        var latest = Migrations.All[^1].Version;
        var engine = "SQLite " + SqliteVersion();
        if (!File.Exists(path))
        {
            return Task.FromResult(new MetadataBackendProbe(path, Exists: false, 0, latest, engine));
        }

        // ReadWrite, never Create: a look must not leave a database behind. Through the same VFS as
        // the stores, so a file a running server holds is reported as held, not read around its lock.
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = SqliteDatabase.DataSource(path),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)timeout.TotalSeconds),
        };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            SqliteDatabase.CheckNotHeldElsewhere(connection, path);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
            var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0 ? 0 : SqliteMigrator.CurrentVersion(connection);
            return Task.FromResult(new MetadataBackendProbe(path, Exists: true, version, latest, engine));
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e);
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
    }

    /// <summary>The absolute database path a <c>sqlite:///</c> URI or a plain path names.</summary>
    /// <param name="uri">The URI or path.</param>
    /// <param name="option">Where it came from, for the message.</param>
    /// <exception cref="ArgumentException">Not a SQLite URI or path; the message names the option and the form.</exception>
    public static string DatabasePath(string uri, string option)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        string path;
        if (uri.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            path = AbsoluteFromUriPath(uri[Prefix.Length..]);
        }
        else if (BackendRegistry.SchemeOf(uri) is null)
        {
            path = uri;
        }
        else
        {
            throw new ArgumentException($"Invalid SQLite backend store URI '{uri}' ({option}): expected sqlite:///<absolute path> (three slashes, then the path) or a file path.", nameof(uri));
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"Invalid SQLite backend store URI '{uri}' ({option}): {e.Message}", nameof(uri), e);
        }
    }

    /// <summary>'/abs', '//abs' and 'C:/x' (after the scheme) all name absolute paths.</summary>
    private static string AbsoluteFromUriPath(string rest)
    {
        if (rest.Length >= 2 && rest[1] == ':' && char.IsAsciiLetter(rest[0]))
        {
            return rest;
        }

        if (rest.Length >= 3 && rest[0] == '/' && rest[2] == ':' && char.IsAsciiLetter(rest[1]))
        {
            return rest[1..];
        }

        return "/" + rest.TrimStart('/');
    }
}
