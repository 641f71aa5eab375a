using System.Runtime.InteropServices;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>A test of the linux-x64 single-file binary, which only a linux-x64 machine can run; skipped with the reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LinuxX64FactAttribute : FactAttribute
{
    public LinuxX64FactAttribute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Skip = $"the single-file binary under test is linux-x64; this machine is {RuntimeInformation.RuntimeIdentifier}.";
        }
    }
}
