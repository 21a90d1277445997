namespace Bulwark.Cli.Commands.Scan;

/// <summary>The parsed options of one <c>bulwark scan</c> run.</summary>
internal sealed record ScanInvocation
{
    public required string Source { get; init; }

    public required string Format { get; init; }

    public string? OutputFile { get; init; }

    public string? Severity { get; init; }

    public bool IgnoreUnfixed { get; init; }

    public int ExitCode { get; init; }

    public string? IgnoreFile { get; init; }

    public bool SkipDatabaseUpdate { get; init; }

    public string? Database { get; init; }

    public string? Platform { get; init; }

    public string? Credentials { get; init; }

    public bool PlainHttp { get; init; }
}
