using Npgsql;
using Xunit;

namespace Keel.Storage.Postgres.Tests;

/// <summary>Backend store URIs as MLflow users write them (no server needed).</summary>
public sealed class PostgresUriTests
{
    [Theory]
    [InlineData("postgresql://keel:s%40cret@db.example:6543/metadata")]
    [InlineData("postgresql+psycopg2://keel:s%40cret@db.example:6543/metadata")]
    [InlineData("postgres://keel:s%40cret@db.example:6543/metadata")]
    public void Parses_user_password_host_port_and_database(string uri)
    {
        var settings = PostgresUri.Parse(uri);

        Assert.Equal(("keel", "s@cret", "db.example", 6543, "metadata"), (settings.Username, settings.Password, settings.Host, settings.Port, settings.Database));
        Assert.True(PostgresUri.IsPostgres(uri));
    }

    [Fact]
    public void Defaults_follow_libpq_and_query_keys_apply()
    {
        var settings = PostgresUri.Parse("postgresql://alice@[::1]?sslmode=require&application_name=replica-2&connect_timeout=7&search_path=keel&max_pool_size=20");

        Assert.Equal(("::1", 5432, "alice"), (settings.Host, settings.Port, settings.Database));
        Assert.Equal((SslMode.Require, "replica-2", 7, "keel", 20), (settings.SslMode, settings.ApplicationName, settings.Timeout, settings.SearchPath, settings.MaxPoolSize));
        Assert.Equal("/var/run/postgresql", PostgresUri.Parse("postgresql:///keel?host=/var/run/postgresql").Host);
    }

    [Theory]
    [InlineData("postgresql://u:topsecret@h:5432/db?bogus=1", "unknown query parameter 'bogus'")]
    [InlineData("postgresql://u:topsecret@h:99999/db", "port '99999'")]
    [InlineData("postgresql://u:topsecret@h/db?sslmode=sometimes", "sslmode must be one of")]
    [InlineData("postgresql://u:topsecret@h/db?search_path=a;drop", "search_path must be one schema name")]
    [InlineData("postgresql://u:topsecret@/db", "names no host")]
    [InlineData("postgresql://u:topsecret@h/db?max_pool_size=0", "max_pool_size must be a whole number of connections from 1 to 1000 (got '0')")]
    [InlineData("postgresql://u:topsecret@h/db?max_pool_size=ten", "max_pool_size must be a whole number")]
    public void Bad_uris_name_the_option_and_the_rule_but_never_the_password(string uri, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => PostgresUri.Parse(uri));

        Assert.Contains("--backend-store-uri", e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://u:pw@h:1/db", "postgresql://u:***@h:1/db")]
    [InlineData("postgresql://u@h/db", "postgresql://u@h/db")]
    [InlineData("sqlite:///tmp/x.db", "sqlite:///tmp/x.db")]
    public void Redact_hides_only_the_password(string uri, string redacted) => Assert.Equal(redacted, PostgresUri.Redact(uri));

    [Theory]
    [InlineData("sqlite:///tmp/keel.db")]
    [InlineData("/tmp/keel.db")]
    [InlineData("mysql://u@h/db")]
    public void Other_schemes_are_not_postgres(string uri) => Assert.False(PostgresUri.IsPostgres(uri));
}
