using System.Diagnostics;

namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Real storage faults for black-box tests: a small tmpfs that fills up, and files made immutable
/// (chattr +i, which even root cannot write). Both need root on Linux and the mount/chattr tools;
/// <see cref="Unavailable"/> says why a machine cannot run them.
/// </summary>
public static class FileSystemFaults
{
    private static readonly Lazy<string?> Probe = new(ProbeSupport);

    /// <summary>Null when the faults can be produced here; otherwise the reason they cannot.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB at a new directory and returns it.</summary>
    public static string MountTmpfs(int megabytes)
    {
        var dir = TempDirs.Create("keel-tmpfs");
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", dir);
        return dir;
    }

    public static void Unmount(string dir)
    {
        Run("umount", "-l", dir);
        TempDirs.TryDelete(dir);
    }

    /// <summary>Fills the file system holding <paramref name="dir"/> to the last byte with a filler file; returns its path.</summary>
    public static string Fill(string dir)
    {
        var filler = Path.Combine(dir, "filler");
        // Unbuffered, so no buffered bytes are left to fail at dispose.
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Write what fits of a last, smaller block too.
        }

        try
        {
            while (true)
            {
                stream.Write(block, 0, 512);
            }
        }
        catch (IOException)
        {
        }

        return filler;
    }

    /// <summary>Makes every file directly in <paramref name="dir"/> (and the directory) immutable, or mutable again.</summary>
    public static void SetImmutable(string dir, bool immutable)
    {
        var flag = immutable ? "+i" : "-i";
        Run("chattr", [flag, dir, .. Directory.EnumerateFileSystemEntries(dir)]);
    }

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }
    }

    private static string? ProbeSupport()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "storage faults are produced with Linux tmpfs mounts and chattr";
        }

        if (Environment.UserName != "root")
        {
            return "mounting a tmpfs and chattr +i need root";
        }

        try
        {
            var mount = MountTmpfs(1);
            try
            {
                var probe = Path.Combine(TempDirs.Create("keel-chattr-probe"), "probe");
                File.WriteAllText(probe, "x");
                SetImmutable(Path.GetDirectoryName(probe)!, true);
                SetImmutable(Path.GetDirectoryName(probe)!, false);
                TempDirs.TryDelete(Path.GetDirectoryName(probe)!);
            }
            finally
            {
                Unmount(mount);
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return "this machine cannot mount a tmpfs or set chattr +i here: " + e.Message;
        }
    }
}
