using System.CommandLine;
using System.Diagnostics;
using Keel.Cli.Commands.Completion;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests.Help;

/// <summary>Tab completion follows the real command tree, in process and through the shell scripts.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("mod", "models")]
    [InlineData("models ", "list", "versions", "alias", "download")]
    [InlineData("experiments list --output ", "table", "json")]
    [InlineData("experiments list --o", "--output", "--order-by")]
    [InlineData("completion ", "bash", "zsh", "pwsh")]
    public void Completions_come_from_the_command_tree(string line, params string[] expected)
    {
        var labels = KeelCommandLine.Build().Parse(line).GetCompletions(line.Length).Select(c => c.Label).ToList();
        Assert.All(expected, e => Assert.Contains(e, labels));
    }

    [Fact]
    public void The_suggest_directive_prints_candidates_without_windows_style_help_aliases()
    {
        var output = new StringWriter();
        var exit = KeelCommandLine.Build().Parse(["[suggest:12]", "keel models "]).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(ExitCodes.Success, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("versions", lines);
        Assert.Contains("--help", lines);
        Assert.DoesNotContain("/?", lines);
        Assert.DoesNotContain("-?", lines);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _keel_complete keel")]
    [InlineData("zsh", "compdef _keel_complete keel")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName keel")]
    public void Completion_prints_a_script_that_asks_keel_for_candidates(string shell, string registration)
    {
        var script = Script(shell);
        Assert.Contains(registration, script, StringComparison.Ordinal);
        Assert.Contains("keel \"[suggest:", script, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_shell_is_a_usage_error_naming_the_choices()
    {
        var result = KeelCommandLine.Build().Parse(["completion", "fish"]);
        var error = Assert.Single(result.Errors);
        Assert.Contains("fish", error.Message, StringComparison.Ordinal);
    }

    [ShellFact("bash")]
    public async Task The_bash_script_completes_commands_options_and_values_in_a_real_bash()
    {
        Assert.Equal(["models"], await CompleteInBash("keel mod"));
        var models = await CompleteInBash("keel models ");
        Assert.Contains("versions", models);
        Assert.Contains("download", models);
        Assert.Equal(["json"], await CompleteInBash("keel experiments list --output j"));
        Assert.Equal(["table", "json"], (await CompleteInBash("keel runs list --output ")).Order().Reverse());
    }

    [ShellFact("zsh")]
    public async Task The_zsh_script_loads_in_a_real_zsh()
    {
        // Completion widgets only run inside an interactive line editor; loading the script checks its syntax and
        // that it registers _keel_complete for keel.
        var dir = Directory.CreateTempSubdirectory("keel-zsh-");
        var file = Path.Combine(dir.FullName, "keel.zsh");
        await File.WriteAllTextAsync(file, Script("zsh"));
        var (exit, output) = await Run(Shells.Find("zsh")!, ["-c", $"autoload -Uz compinit && compinit -u -D && source {file} && print -r -- ${{_comps[keel]}}"], dir.FullName);
        Assert.True(exit == 0, output);
        Assert.Contains("_keel_complete", output, StringComparison.Ordinal);
    }

    [ShellFact("pwsh")]
    public async Task The_powershell_script_completes_in_a_real_pwsh()
    {
        var dir = Directory.CreateTempSubdirectory("keel-pwsh-");
        WriteKeelShim(dir.FullName);
        var file = Path.Combine(dir.FullName, "keel.ps1");
        await File.WriteAllTextAsync(file, Script("pwsh"));
        var command = $". '{file}'; (TabExpansion2 -inputScript 'keel models ' -cursorColumn 12).CompletionMatches | ForEach-Object CompletionText";
        var (exit, output) = await Run(Shells.Find("pwsh")!, ["-NoProfile", "-Command", command], dir.FullName);
        Assert.True(exit == 0, output);
        Assert.Contains("versions", output, StringComparison.Ordinal);
    }

    private static string Script(string shell)
    {
        var output = new StringWriter();
        var exit = KeelCommandLine.Build().Parse(["completion", shell]).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(CompletionScripts.For(Enum.Parse<Shell>(shell, ignoreCase: true)), output.ToString());
        return output.ToString();
    }

    // Sources the script in bash, sets the variables bash sets before calling a completion function, calls it,
    // and returns COMPREPLY. keel on PATH is the keel.dll built beside these tests.
    private static async Task<List<string>> CompleteInBash(string line)
    {
        var dir = Directory.CreateTempSubdirectory("keel-bash-");
        WriteKeelShim(dir.FullName);
        var file = Path.Combine(dir.FullName, "keel.bash");
        await File.WriteAllTextAsync(file, Script("bash"));
        var body = $$"""
            source '{{file}}'
            COMP_LINE='{{line}}'
            COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _keel_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var (exit, output) = await Run(Shells.Find("bash")!, ["--norc", "--noprofile", "-c", body], dir.FullName);
        Assert.True(exit == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static void WriteKeelShim(string dir)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "keel.dll");
        var shim = Path.Combine(dir, "keel");
        File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{dll}' \"$@\"\n");
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(shim + ".cmd", $"@dotnet \"{dll}\" %*\r\n");
            return;
        }

        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static async Task<(int Exit, string Output)> Run(string program, string[] arguments, string pathDir)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = pathDir + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
