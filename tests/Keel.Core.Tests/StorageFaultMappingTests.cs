using Keel.Core.Errors;

namespace Keel.Core.Tests;

public sealed class StorageFaultMappingTests
{
    [Theory]
    [InlineData(28, ErrorCode.ResourceExhausted, 507)] // ENOSPC
    [InlineData(122, ErrorCode.ResourceExhausted, 507)] // EDQUOT
    [InlineData(30, ErrorCode.IoError, 503)] // EROFS
    [InlineData(13, ErrorCode.IoError, 503)] // EACCES
    [InlineData(5, ErrorCode.IoError, 503)] // EIO
    public void IO_exceptions_map_by_errno_to_503_or_507(int errno, ErrorCode code, int status)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Win32 codes differ; these are the Unix errno values .NET puts in HResult.
        }

        var fault = StorageFaults.FromIOException(new IOException("No space left on device", errno), "The artifact store");

        Assert.Equal(code, fault.Code);
        Assert.Equal(status, fault.HttpStatus);
        Assert.StartsWith("The artifact store ", fault.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_denied_is_a_read_only_store()
    {
        var fault = StorageFaults.FromIOException(new UnauthorizedAccessException("Access to the path '/d/x' is denied."), "The artifact store");

        Assert.Equal(ErrorCode.IoError, fault.Code);
        Assert.Contains("cannot be written", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_new_codes_are_MLflow_names_that_clients_recognise()
    {
        Assert.Equal("IO_ERROR", ErrorCodes.ToWire(ErrorCode.IoError));
        Assert.Equal("RESOURCE_EXHAUSTED", ErrorCodes.ToWire(ErrorCode.ResourceExhausted));
        Assert.Equal(ErrorCode.ResourceExhausted, ErrorCodes.FromWire("RESOURCE_EXHAUSTED", 507));
        Assert.Equal(ErrorCode.ResourceExhausted, ErrorCodes.FromWire("SOMETHING_ELSE", 507));
        Assert.Equal(ErrorCode.IoError, ErrorCodes.FromWire("IO_ERROR", 503));
    }
}
