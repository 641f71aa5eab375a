namespace Keel.Cli.Commands.Completion;

/// <summary>The shells `keel completion` writes a script for.</summary>
internal enum Shell
{
    Bash,
    Zsh,
    Pwsh,
}
