using Keel.Core.Errors;

namespace Keel.Core.Tests;

/// <summary>The one table from error code to wire name and HTTP status; MLflow clients branch on both.</summary>
public sealed class ErrorCodesTests
{
    [Theory]
    [InlineData(ErrorCode.InternalError, "INTERNAL_ERROR", 500)]
    [InlineData(ErrorCode.TemporarilyUnavailable, "TEMPORARILY_UNAVAILABLE", 503)]
    [InlineData(ErrorCode.BadRequest, "BAD_REQUEST", 400)]
    [InlineData(ErrorCode.InvalidParameterValue, "INVALID_PARAMETER_VALUE", 400)]
    [InlineData(ErrorCode.EndpointNotFound, "ENDPOINT_NOT_FOUND", 404)]
    [InlineData(ErrorCode.NotFound, "NOT_FOUND", 404)]
    [InlineData(ErrorCode.ResourceAlreadyExists, "RESOURCE_ALREADY_EXISTS", 400)] // MLflow's 400, not 409
    [InlineData(ErrorCode.ResourceDoesNotExist, "RESOURCE_DOES_NOT_EXIST", 404)]
    [InlineData(ErrorCode.ResourceConflict, "RESOURCE_CONFLICT", 409)]
    [InlineData(ErrorCode.PermissionDenied, "PERMISSION_DENIED", 403)]
    [InlineData(ErrorCode.Unauthenticated, "UNAUTHENTICATED", 401)]
    [InlineData(ErrorCode.RequestLimitExceeded, "REQUEST_LIMIT_EXCEEDED", 429)]
    [InlineData(ErrorCode.InvalidState, "INVALID_STATE", 500)]
    [InlineData(ErrorCode.NotImplemented, "NOT_IMPLEMENTED", 501)]
    [InlineData(ErrorCode.DeadlineExceeded, "DEADLINE_EXCEEDED", 504)]
    [InlineData(ErrorCode.PayloadTooLarge, "PAYLOAD_TOO_LARGE", 413)]
    public void Each_code_has_its_wire_name_and_status_and_parses_back(ErrorCode code, string wire, int status)
    {
        Assert.Equal(wire, ErrorCodes.ToWire(code));
        Assert.Equal(status, ErrorCodes.HttpStatus(code));
        Assert.Equal(status, new KeelException(code, "m").HttpStatus);
        // The wire name wins over the status: two codes share 400 and 404.
        Assert.Equal(code, ErrorCodes.FromWire(wire, 418));
    }

    [Fact]
    public void Every_code_is_in_the_table_once()
    {
        var codes = Enum.GetValues<ErrorCode>();
        Assert.Equal(codes.Length, codes.Select(ErrorCodes.ToWire).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(400, ErrorCode.BadRequest)]
    [InlineData(401, ErrorCode.Unauthenticated)]
    [InlineData(403, ErrorCode.PermissionDenied)]
    [InlineData(404, ErrorCode.NotFound)]
    [InlineData(409, ErrorCode.ResourceConflict)]
    [InlineData(413, ErrorCode.PayloadTooLarge)]
    [InlineData(429, ErrorCode.RequestLimitExceeded)]
    [InlineData(501, ErrorCode.NotImplemented)]
    [InlineData(503, ErrorCode.TemporarilyUnavailable)]
    [InlineData(504, ErrorCode.DeadlineExceeded)]
    [InlineData(502, ErrorCode.InternalError)]
    [InlineData(500, ErrorCode.InternalError)]
    public void An_unknown_wire_name_maps_by_status(int status, ErrorCode expected)
    {
        Assert.Equal(expected, ErrorCodes.FromWire("SOME_OTHER_SERVERS_CODE", status));
        Assert.Equal(expected, ErrorCodes.FromWire(null, status));
    }

    [Fact]
    public void Missing_parameter_uses_mlflow_wording()
    {
        var e = KeelException.MissingParameter("run_id");
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.", e.Message);
    }
}
