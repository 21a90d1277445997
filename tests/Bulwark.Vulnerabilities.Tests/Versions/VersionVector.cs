namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>One line of a vectors file: <see cref="Left"/> compared with <see cref="Right"/> is <see cref="Expected"/> (-1, 0, 1).</summary>
internal sealed record VersionVector(string File, int Line, string Text, string Left, string Right, int Expected)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}
