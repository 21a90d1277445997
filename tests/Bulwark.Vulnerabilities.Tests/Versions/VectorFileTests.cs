using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Tests.Versions;

/// <summary>Every line of every shared vectors file must hold for the ecosystems it covers, in both directions.</summary>
public sealed class VectorFileTests
{
    /// <summary>
    /// Lines that hold a version which is not a version of the ecosystem at all; the comparer must reject it
    /// rather than order it. Reported to the lead; see docs/versions.md.
    /// </summary>
    private static readonly HashSet<(string File, string Text)> Disputed =
    [
        // "1.1.3.4.5" has five numeric components; SemVer and pub_semver allow exactly three.
        ("semver-versions.txt", "1.1.3.4.5 = 1.1.3.4.5"),
        ("pub-versions.txt", "1.1.3.4.5 = 1.1.3.4.5"),
    ];

    public static TheoryData<string, string> Files => new()
    {
        { "debian-versions.txt", "Debian" },
        { "debian-versions-generated.txt", "Debian" },
        { "debian-versions.txt", "Ubuntu:22.04" },
        { "alpine-versions.txt", "Alpine" },
        { "alpine-versions-generated.txt", "Alpine:v3.19" },
        { "redhat-versions.txt", "Red Hat" },
        { "redhat-versions.txt", "Rocky Linux" },
        { "redhat-versions.txt", "AlmaLinux" },
        { "semver-versions.txt", "npm" },
        { "semver-versions.txt", "Go" },
        { "semver-versions.txt", "crates.io" },
        { "pypi-versions.txt", "PyPI" },
        { "pypi-versions-generated.txt", "PyPI" },
        { "nuget-versions.txt", "NuGet" },
        { "maven-versions.txt", "Maven" },
        { "maven-versions-generated.txt", "Maven" },
        { "rubygems-versions.txt", "RubyGems" },
        { "rubygems-versions-generated.txt", "RubyGems" },
        { "packagist-versions.txt", "Packagist" },
        { "packagist-versions-generated.txt", "Packagist" },
        { "cran-versions.txt", "CRAN" },
        { "cran-versions-generated.txt", "CRAN" },
        { "pub-versions.txt", "Pub" },
        { "hackage-versions.txt", "Hackage" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryLine_Holds(string file, string ecosystem)
    {
        var comparer = VersionComparers.For(ecosystem);
        var failures = new List<string>();
        var count = 0;
        foreach (var vector in VersionVectors.Read(file))
        {
            count++;
            var failure = Disputed.Contains((vector.File, vector.Text))
                ? CheckRejected(comparer, vector)
                : Check(comparer, vector);
            if (failure is not null)
            {
                failures.Add($"{vector}  →  {failure}");
            }
        }

        Assert.True(count > 0, $"{file} has no comparisons");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} lines of {file} fail for {ecosystem}:\n" + string.Join('\n', failures));
    }

    [Fact]
    public void EveryVectorsFile_IsCovered()
    {
        var covered = Files.Select(row => (string)row[0]).ToHashSet();
        var present = Directory.GetFiles(VersionVectors.Directory, "*.txt").Select(Path.GetFileName).ToHashSet();
        Assert.Subset(covered, present!);
    }

    private static string? Check(IVersionComparer comparer, VersionVector vector)
    {
        try
        {
            var forward = comparer.Compare(vector.Left, vector.Right);
            var backward = comparer.Compare(vector.Right, vector.Left);
            return forward == vector.Expected && backward == -vector.Expected
                ? null
                : $"got {Word(forward)} (reversed: {Word(backward)})";
        }
        catch (VersionFormatException e)
        {
            return e.Message;
        }
    }

    private static string? CheckRejected(IVersionComparer comparer, VersionVector vector) =>
        comparer.IsValid(vector.Left) || comparer.IsValid(vector.Right)
            ? "disputed line: expected the comparer to reject it as malformed"
            : null;

    private static string Word(int result) => result switch
    {
        < 0 => "<",
        0 => "=",
        _ => ">",
    };
}
