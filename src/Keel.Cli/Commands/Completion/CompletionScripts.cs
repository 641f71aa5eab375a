namespace Keel.Cli.Commands.Completion;

/// <summary>
/// The shell scripts `keel completion` prints. Each one hands the line up to the cursor back to keel through
/// System.CommandLine's [suggest:POSITION] directive, so candidates always come from the real command tree
/// (commands, options, enum values) and never go stale; the script only filters them by the word being typed.
/// </summary>
internal static class CompletionScripts
{
    /// <summary>The name of the function each script defines.</summary>
    public const string FunctionName = "_keel_complete";

    public static string For(Shell shell) => shell switch
    {
        Shell.Bash => Bash,
        Shell.Zsh => Zsh,
        Shell.Pwsh => Pwsh,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "Unknown shell."),
    };

    private const string Bash = """
        # keel completion for bash. Install: keel completion bash > ~/.local/share/bash-completion/completions/keel
        _keel_complete() {
            local line="${COMP_LINE:0:COMP_POINT}"
            local cur="${COMP_WORDS[COMP_CWORD]}"
            local candidates
            candidates="$(keel "[suggest:${#line}]" "$line" 2>/dev/null)" || return 0
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
        }
        complete -o default -F _keel_complete keel

        """;

    private const string Zsh = """
        #compdef keel
        # keel completion for zsh. Install: keel completion zsh > ~/.zfunc/_keel, with fpath=(~/.zfunc $fpath) before compinit.
        _keel_complete() {
            local line="${BUFFER[1,CURSOR]}"
            local -a candidates
            candidates=("${(@f)$(keel "[suggest:${#line}]" "$line" 2>/dev/null)}")
            # Nothing from keel matches what is typed (a file argument): complete file names.
            compadd -- "${candidates[@]}" || _files
        }
        # Autoloaded from fpath as _keel, the file's body runs on the first completion; sourced, it registers.
        if [[ "${funcstack[1]}" == "_keel" ]]; then
            _keel_complete "$@"
        else
            compdef _keel_complete keel
        fi

        """;

    private const string Pwsh = """
        # keel completion for PowerShell. Install: keel completion pwsh >> $PROFILE
        Register-ArgumentCompleter -Native -CommandName keel -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            # The line up to the cursor, padded when the cursor sits after trailing spaces the AST does not keep.
            $position = $cursorPosition - $commandAst.Extent.StartOffset
            $line = $commandAst.ToString().PadRight($position).Substring(0, $position)
            keel "[suggest:$position]" "$line" 2>$null |
                Where-Object { $_ -like "$wordToComplete*" } |
                ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
        }

        """;
}
