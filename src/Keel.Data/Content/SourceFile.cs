namespace Keel.Data.Content;

/// <summary>A file found under the path being added: its dataset path, where it is, and what stat said.</summary>
internal sealed record SourceFile(string RelativePath, string FullPath, long Size, long ModifiedTicks);
