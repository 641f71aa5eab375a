namespace Keel.Core.Tracking;

/// <summary>Readable run names in MLflow's "adjective-noun-123" shape, for runs created without one.</summary>
public static class RunNameGenerator
{
    private static readonly string[] Adjectives =
    [
        "abundant", "agreeable", "amazing", "auspicious", "bold", "brave", "bright", "calm", "capable", "clean",
        "clever", "colorful", "crawling", "dapper", "debonair", "delicate", "eager", "enchanting", "fearless", "gentle",
        "gifted", "glamorous", "handsome", "honorable", "industrious", "invincible", "judicious", "kindly", "languid", "learned",
        "likeable", "luminous", "magnificent", "marvelous", "mercurial", "nimble", "orderly", "peaceful", "polite", "redolent",
        "resilient", "rogue", "secretive", "sedate", "silent", "skillful", "smiling", "spiffy", "stylish", "suave",
        "thoughtful", "traveling", "trusting", "unique", "upbeat", "valuable", "vaunted", "victorious", "welcoming", "youthful",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "ape", "asp", "bass", "bat", "bear", "bee", "bird", "boar", "bug",
        "calf", "carp", "cat", "chimp", "cod", "colt", "conch", "cow", "crab", "crane",
        "croc", "crow", "cub", "deer", "doe", "dog", "dolphin", "donkey", "dove", "duck",
        "eel", "elk", "fawn", "finch", "fish", "flea", "fly", "foal", "fowl", "fox",
        "frog", "gnat", "gnu", "goat", "goose", "grouse", "grub", "gull", "hare", "hawk",
        "hen", "hog", "horse", "hound", "jay", "kit", "kite", "koi", "lamb", "lark",
        "loon", "lynx", "mare", "midge", "mink", "mole", "moose", "moth", "mouse", "mule",
        "newt", "owl", "ox", "panda", "penguin", "perch", "pig", "pug", "quail", "ram",
        "rat", "ray", "robin", "roo", "rook", "seal", "shad", "shark", "sheep", "shoat",
        "shrew", "shrike", "skink", "skunk", "sloth", "slug", "snail", "snake", "squid", "stag",
        "stoat", "swan", "tern", "toad", "trout", "turtle", "vole", "wasp", "whale", "wolf",
        "worm", "wren", "yak", "zebra",
    ];

    /// <summary>A random name such as <c>brave-owl-417</c>; not unique, only readable.</summary>
    public static string Next()
    {
        var random = Random.Shared;
        return $"{Adjectives[random.Next(Adjectives.Length)]}-{Nouns[random.Next(Nouns.Length)]}-{random.Next(1000)}";
    }
}
