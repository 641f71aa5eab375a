namespace Keel.Data.Content;

/// <summary>A progress report: reported after each batch of files or window of a large file, and once at the end.</summary>
/// <param name="Phase">What is happening.</param>
/// <param name="BytesDone">Bytes of file content processed so far.</param>
/// <param name="BytesTotal">Bytes of file content in all.</param>
/// <param name="FilesDone">Files processed so far.</param>
/// <param name="FilesTotal">Files in all.</param>
/// <param name="BytesUploaded">Bytes of new chunks written to the store so far (0 when everything was already there).</param>
public sealed record ContentProgress(ContentPhase Phase, long BytesDone, long BytesTotal, int FilesDone, int FilesTotal, long BytesUploaded);
