using Keel.Application.Governance;

namespace Keel.Application.Tests.Governance;

public sealed class PasswordHasherTests
{
    [Fact]
    public void A_password_verifies_against_its_own_hash_in_the_phc_format_with_owasps_cost()
    {
        var hash = PasswordHasher.Default.Hash("correct horse battery");
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse battery", hash));

        // A fresh salt each time: the same password never hashes the same twice.
        Assert.NotEqual(hash, PasswordHasher.Default.Hash("correct horse battery"));
    }

    [Fact]
    public void A_wrong_password_does_not_verify()
    {
        var hash = PasswordHasher.Default.Hash("correct horse battery");
        Assert.False(PasswordHasher.Verify("correct horse batterY", hash));
        Assert.False(PasswordHasher.Verify(string.Empty, hash));
        Assert.False(PasswordHasher.Verify(null, hash));
    }

    [Fact]
    public void A_hash_made_with_other_parameters_still_verifies()
    {
        var cheap = new PasswordHasher(memoryKib: 64, iterations: 1, parallelism: 1).Hash("s3cret-pass");
        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", cheap, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("s3cret-pass", cheap));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain-text-password")]
    [InlineData("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$not*base64$aGFzaGhhc2hoYXNoaGFzaA")]
    [InlineData("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$")]
    [InlineData("$2b$12$abcdefghijklmnopqrstuv")]
    public void A_malformed_hash_is_false_not_an_exception(string? phc)
    {
        Assert.False(PasswordHasher.Verify("any-password", phc));
    }

    [Fact]
    public void A_tampered_hash_does_not_verify()
    {
        var hash = new PasswordHasher(memoryKib: 64, iterations: 1, parallelism: 1).Hash("s3cret-pass");
        var parts = hash.Split('$');

        // One character of the stored hash changed.
        var digest = parts[5].ToCharArray();
        digest[3] = digest[3] == 'A' ? 'B' : 'A';
        Assert.False(PasswordHasher.Verify("s3cret-pass", string.Join('$', parts[..5]) + "$" + new string(digest)));

        // Another salt, or another cost, gives another hash.
        var salt = parts[4].ToCharArray();
        salt[0] = salt[0] == 'A' ? 'B' : 'A';
        Assert.False(PasswordHasher.Verify("s3cret-pass", string.Join('$', parts[..4]) + "$" + new string(salt) + "$" + parts[5]));
        Assert.False(PasswordHasher.Verify("s3cret-pass", hash.Replace("t=1", "t=2", StringComparison.Ordinal)));
    }
}
