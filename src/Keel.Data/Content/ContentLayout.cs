namespace Keel.Data.Content;

/// <summary>
/// Where content lives in the artifact store. Packs hold chunk bytes back to back; each pack has a
/// small index object (which chunk is at which offset) named like the pack, so a machine with no
/// local cache rebuilds its chunk index from the index objects alone; manifests are named by digest.
/// </summary>
internal static class ContentLayout
{
    public const string Root = "datasets";
    public const string IndexDirectory = Root + "/index";

    public static string Pack(string name) => $"{Root}/packs/{name[..2]}/{name}";

    public static string Index(string name) => $"{IndexDirectory}/{name}";

    public static string Manifest(string digest) => $"{Root}/manifests/{digest}";
}
