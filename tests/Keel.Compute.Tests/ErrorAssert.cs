using Keel.Core.Errors;
using Xunit;

namespace Keel.Compute.Tests;

internal static class ErrorAssert
{
    /// <summary>Asserts INVALID_PARAMETER_VALUE and that the message contains <paramref name="fragment"/>.</summary>
    public static KeelException InvalidParameter(Action action, string fragment)
    {
        var error = Assert.Throws<KeelException>(action);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }
}
