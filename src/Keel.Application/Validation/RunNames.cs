namespace Keel.Application.Validation;

/// <summary>Random "adjective-noun-number" names for runs created without one, as MLflow gives them.</summary>
internal static class RunNames
{
    private static readonly string[] Adjectives =
    [
        "able", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager", "fair",
        "gentle", "glad", "honest", "keen", "kind", "lively", "merry", "nimble", "polite", "proud",
        "quick", "quiet", "sharp", "shy", "smart", "steady", "sunny", "swift", "tidy", "wise",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "bass", "bat", "bear", "bird", "cat", "colt", "crab", "crow", "deer",
        "dog", "dove", "duck", "eel", "elk", "fish", "fox", "frog", "goat", "hare",
        "hawk", "horse", "lark", "lion", "mole", "moth", "owl", "ram", "seal", "wolf",
    ];

    public static string Generate() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Nouns[Random.Shared.Next(Nouns.Length)]}-{Random.Shared.Next(1000)}";
}
