namespace Bulwark.ScanBench;

/// <summary>A bad option or a missing input: the tool prints the message and exits 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
