using Keel.Cli.Commands.Endpoints;
using Keel.Cli.Commands.Experiments;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Tests;

/// <summary>Argument parsing of a few commands and the exit codes scripts branch on.</summary>
/// <remarks>In the Console collection: a command's error goes to Console.Error, which other tests redirect.</remarks>
[Collection("Console")]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(ErrorCode.InvalidParameterValue, ExitCodes.ValidationFailed)]
    [InlineData(ErrorCode.BadRequest, ExitCodes.ValidationFailed)]
    [InlineData(ErrorCode.ResourceDoesNotExist, ExitCodes.NotFound)]
    [InlineData(ErrorCode.NotFound, ExitCodes.NotFound)]
    [InlineData(ErrorCode.EndpointNotFound, ExitCodes.NotFound)]
    [InlineData(ErrorCode.ResourceAlreadyExists, ExitCodes.Conflict)]
    [InlineData(ErrorCode.ResourceConflict, ExitCodes.Conflict)]
    [InlineData(ErrorCode.PermissionDenied, ExitCodes.PermissionDenied)]
    [InlineData(ErrorCode.Unauthenticated, ExitCodes.PermissionDenied)]
    [InlineData(ErrorCode.TemporarilyUnavailable, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.DeadlineExceeded, ExitCodes.Unreachable)]
    [InlineData(ErrorCode.InternalError, ExitCodes.Internal)]
    public void Error_codes_map_to_exit_codes(ErrorCode code, int exitCode) => Assert.Equal(exitCode, CliErrors.ExitCode(code));

    [Fact]
    public void Canary_parses_its_options()
    {
        var result = CanaryCommand.Create().Parse(["churn", "--model", "models:/churn/7", "--steps", "10,50,100", "--hold-requests", "500", "--wait"]);
        Assert.Empty(result.Errors);
        Assert.Equal("churn", result.GetValue<string>("name"));
        Assert.Equal("models:/churn/7", result.GetValue<string>("--model"));
        Assert.Equal(500, result.GetValue<long?>("--hold-requests"));
        Assert.True(result.GetValue<bool>("--wait"));
    }

    [Fact]
    public void Canary_without_a_model_is_a_parse_error_naming_the_option()
    {
        var result = CanaryCommand.Create().Parse(["churn"]);
        Assert.Contains(result.Errors, e => e.Message.Contains("--model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Canary_with_both_holds_exits_6_before_contacting_a_server()
    {
        // No server listens on this port: reaching it would fail with exit code 7 (unreachable), not 6.
        var exit = await CanaryCommand.Create().Parse(["churn", "--model", "models:/churn/7", "--hold", "5m", "--hold-requests", "10", "--tracking-uri", "http://127.0.0.1:9"]).InvokeAsync();
        Assert.Equal(ExitCodes.ValidationFailed, exit);
    }

    [Fact]
    public void An_error_keeps_its_exit_code_when_stderr_is_gone()
    {
        var err0 = Console.Error;
        var closed = new StringWriter();
        closed.Dispose();
        Console.SetError(closed);
        try
        {
            Assert.Equal(ExitCodes.ValidationFailed, CliErrors.Report(KeelException.InvalidParameter("Give --hold or --hold-requests, not both.")));
            Assert.Equal(ExitCodes.NotFound, CliErrors.Report(new KeelException(ErrorCode.ResourceDoesNotExist, "no such model")));
        }
        finally
        {
            Console.SetError(err0);
        }
    }

    [Fact]
    public void Output_accepts_table_and_json_only()
    {
        var list = ExperimentsCommand.Create();
        var ok = list.Parse(["list", "--output", "json"]);
        Assert.Empty(ok.Errors);
        Assert.Equal(OutputFormat.Json, ok.GetValue<OutputFormat>("--output"));
        Assert.Equal(OutputFormat.Table, list.Parse(["list"]).GetValue<OutputFormat>("--output"));
        Assert.NotEmpty(list.Parse(["list", "--output", "xml"]).Errors);
    }

    [Fact]
    public void A_data_dir_given_explicitly_wins_and_a_leading_tilde_is_the_home_directory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, "keel-x"), DataDirectory.Resolve("~/keel-x"));
        var explicitDir = Path.Combine(Path.GetTempPath(), "keel-explicit");
        Assert.Equal(explicitDir, DataDirectory.Resolve(explicitDir));
        Assert.Equal("sqlite:///" + Path.Combine(explicitDir, "keel.db"), DataDirectory.SqliteUri(explicitDir));
    }
}
