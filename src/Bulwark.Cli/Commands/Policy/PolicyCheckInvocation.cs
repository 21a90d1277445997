namespace Bulwark.Cli.Commands.Policy;

/// <summary>The parsed options of one <c>bulwark policy check</c> run.</summary>
internal sealed record PolicyCheckInvocation
{
    public required string Source { get; init; }

    public required string PolicyFile { get; init; }

    public required IReadOnlyList<string> Keys { get; init; }

    public string? Repository { get; init; }

    public string? Database { get; init; }

    public required string Format { get; init; }

    public string? Platform { get; init; }

    public string? Credentials { get; init; }

    public bool PlainHttp { get; init; }
}
