using System.Globalization;

namespace Keel.Bench;

/// <summary>CPU time from /proc, for a process alone or a process with every child it has had.</summary>
internal static class ProcessCpu
{
    /// <summary>User + system time of <paramref name="pid"/>; with <paramref name="withChildren"/>, plus its live children's and its reaped children's.</summary>
    public static TimeSpan Of(int pid, bool withChildren = false) => TimeSpan.FromMilliseconds(Ticks(pid, withChildren) * 10);

    /// <summary>The parent of <paramref name="pid"/>, or null when /proc does not show the process (e.g. it runs on another machine).</summary>
    public static int? Parent(int pid)
    {
        try
        {
            return int.Parse(Fields(pid)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Fields 14-17 of /proc/pid/stat (utime, stime, cutime, cstime), in clock ticks: 100 per second on Linux.
    private static long Ticks(int pid, bool withChildren)
    {
        var fields = Fields(pid);
        var ticks = Field(fields, 11) + Field(fields, 12);
        if (!withChildren)
        {
            return ticks;
        }

        ticks += Field(fields, 13) + Field(fields, 14);
        foreach (var child in Children(pid))
        {
            try
            {
                ticks += Ticks(child, withChildren: true);
            }
            catch (IOException)
            {
                // Exited since it was listed: its time now counts in this process's cutime/cstime.
            }
        }

        return ticks;
    }

    private static long Field(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);

    private static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            var file = Path.Combine(task, "children");
            if (File.Exists(file))
            {
                children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            }
        }

        return children;
    }

    private static string[] Fields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
