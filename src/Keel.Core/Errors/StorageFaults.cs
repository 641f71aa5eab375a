namespace Keel.Core.Errors;

/// <summary>
/// Turns file-system failures of a store into errors that say what happened: out of space is
/// <see cref="ErrorCode.ResourceExhausted"/> (507), a read-only or unreadable store and other I/O
/// failures are <see cref="ErrorCode.IoError"/> (503). Stores translate at their boundary with
/// <see cref="FromIOException"/>; the server's error handler uses it for any I/O failure that
/// reaches it, so a fault never surfaces as a bare 500.
/// </summary>
public static class StorageFaults
{
    // errno values (Linux; EDQUOT is 69 on macOS) and Win32 codes, as .NET leaves them in IOException.HResult.
    private const int Enospc = 28;
    private const int Edquot = 122;
    private const int EdquotMac = 69;
    private const int Erofs = 30;
    private const int Eacces = 13;
    private const int Eperm = 1;
    private const int WinAccessDenied = 5;
    private const int WinWriteProtect = 19;
    private const int WinHandleDiskFull = 39;
    private const int WinDiskFull = 112;

    /// <summary>The store ran out of space.</summary>
    public static KeelException DiskFull(string store, string detail, Exception? inner = null) =>
        new(ErrorCode.ResourceExhausted, $"{store} is out of disk space ({detail}); free space on its volume and retry.", inner);

    /// <summary>The store's files cannot be written (read-only file system or permissions).</summary>
    public static KeelException ReadOnly(string store, string detail, Exception? inner = null) =>
        new(ErrorCode.IoError, $"{store} cannot be written: its files are read-only or not permitted ({detail}).", inner);

    /// <summary>The store's files could not be read or written.</summary>
    public static KeelException IoFailure(string store, string detail, Exception? inner = null) =>
        new(ErrorCode.IoError, $"{store} could not read or write its files ({detail}).", inner);

    /// <summary>Classifies an I/O exception of <paramref name="store"/> (e.g. "The artifact store").</summary>
    public static KeelException FromIOException(Exception exception, string store)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var detail = exception.Message;
        if (exception is UnauthorizedAccessException)
        {
            return ReadOnly(store, detail, exception);
        }

        // On Unix the HResult of an IOException is the errno; on Windows the low word is the Win32 code.
        var code = exception.HResult & 0xFFFF;
        var windows = OperatingSystem.IsWindows();
        if (windows ? code is WinDiskFull or WinHandleDiskFull : code is Enospc or Edquot or EdquotMac)
        {
            return DiskFull(store, detail, exception);
        }

        return (windows ? code is WinWriteProtect or WinAccessDenied : code is Erofs or Eacces or Eperm)
            ? ReadOnly(store, detail, exception)
            : IoFailure(store, detail, exception);
    }
}
