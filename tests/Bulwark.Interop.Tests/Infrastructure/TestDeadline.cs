namespace Bulwark.Interop.Tests.Infrastructure;

/// <summary>
/// xunit 2 gives tests no cancellation token; this bounds each test's I/O instead, so a registry that
/// hangs fails the test rather than the CI run.
/// </summary>
public static class TestDeadline
{
    public static readonly TimeSpan PerTest = TimeSpan.FromMinutes(5);

    /// <summary>A fresh token that cancels <see cref="PerTest"/> from now.</summary>
    public static CancellationToken Start() => new CancellationTokenSource(PerTest).Token;

    /// <summary>A repository name unique to one test, under <paramref name="prefix"/>.</summary>
    public static string UniqueRepository(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
