namespace Keel.Cli.Commands.Deploy;

/// <summary>One manifest to write: its file name and its document tree.</summary>
internal sealed record ManifestFile(string FileName, string Kind, Dictionary<string, object> Document);
