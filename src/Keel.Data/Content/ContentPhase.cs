namespace Keel.Data.Content;

/// <summary>What a <see cref="ContentStore"/> operation is doing, for a progress display.</summary>
public enum ContentPhase
{
    /// <summary>Reading and hashing the source files (new chunks are uploaded in the same pass).</summary>
    Hashing,

    /// <summary>Writing the last packs and the manifest.</summary>
    Uploading,

    /// <summary>Reading chunks from the store and writing files.</summary>
    Downloading,
}
