using Bulwark.Vulnerabilities.Osv;
using Bulwark.Vulnerabilities.Versions;

namespace Bulwark.Vulnerabilities.Matching;

/// <summary>
/// Decides whether a version falls in an <c>affected[]</c> entry, following the OSV schema's evaluation rules:
/// events sorted by the range's ordering with <c>introduced: "0"</c> first; <c>introduced</c> opens, <c>fixed</c>
/// closes exclusively, <c>last_affected</c> closes inclusively, <c>limit</c> caps the range; the version is
/// affected if any range or the explicit <c>versions</c> list says so. GIT ranges name commits, not releases, and
/// are skipped.
/// </summary>
public static class OsvRangeEvaluator
{
    public static AffectedVerdict Evaluate(OsvAffected affected, string version)
    {
        ArgumentNullException.ThrowIfNull(affected);
        ArgumentNullException.ThrowIfNull(version);
        VersionComparers.TryFor(affected.Package.Ecosystem, out var ecosystemComparer);
        var affectedByRange = false;
        var fixedVersions = new List<string>();
        string? problem = null;
        foreach (var range in affected.Ranges)
        {
            IVersionComparer? comparer = range.Type switch
            {
                OsvRangeType.Semver => VersionComparers.SemVer,
                OsvRangeType.Ecosystem => ecosystemComparer,
                _ => null,
            };
            if (range.Type == OsvRangeType.Git)
            {
                continue;
            }

            if (comparer is null)
            {
                problem ??= $"no version ordering for ecosystem '{affected.Package.Ecosystem}'";
                continue;
            }

            if (!comparer.IsValid(version))
            {
                problem ??= $"'{version}' is not a valid {comparer.Ecosystem} version";
                continue;
            }

            try
            {
                var (inRange, fix) = EvaluateRange(range, version, comparer);
                if (inRange)
                {
                    affectedByRange = true;
                    if (fix is not null)
                    {
                        fixedVersions.Add(fix);
                    }
                }
            }
            catch (VersionFormatException e)
            {
                problem ??= "malformed range: " + e.Message;
            }
        }

        var listed = affected.Versions.Count > 0 && IsListed(affected.Versions, version, ecosystemComparer);
        return new AffectedVerdict(affectedByRange || listed, fixedVersions, problem);
    }

    private static (bool Affected, string? Fix) EvaluateRange(OsvRange range, string version, IVersionComparer comparer)
    {
        var events = range.Events.ToList();
        events.Sort((a, b) => Order(a, b, comparer));

        foreach (var limit in events.Where(e => e.Kind == OsvEventKind.Limit && e.Version != "*"))
        {
            if (comparer.Compare(version, limit.Version) >= 0)
            {
                return (false, null);
            }
        }

        var affected = false;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case OsvEventKind.Introduced when e.Version == "0" || comparer.Compare(version, e.Version) >= 0:
                    affected = true;
                    break;
                case OsvEventKind.Fixed when comparer.Compare(version, e.Version) >= 0:
                    affected = false;
                    break;
                case OsvEventKind.LastAffected when comparer.Compare(version, e.Version) > 0:
                    affected = false;
                    break;
            }
        }

        if (!affected)
        {
            return (false, null);
        }

        // The fix for this version is the first fixed event above it.
        var fix = events.FirstOrDefault(e => e.Kind == OsvEventKind.Fixed && comparer.Compare(e.Version, version) > 0);
        return (true, fix.Version);
    }

    private static int Order(OsvEvent a, OsvEvent b, IVersionComparer comparer)
    {
        var aZero = a.Kind == OsvEventKind.Introduced && a.Version == "0";
        var bZero = b.Kind == OsvEventKind.Introduced && b.Version == "0";
        if (aZero || bZero)
        {
            return aZero == bZero ? 0 : aZero ? -1 : 1;
        }

        if (a.Kind == OsvEventKind.Limit && a.Version == "*")
        {
            return b.Kind == OsvEventKind.Limit && b.Version == "*" ? 0 : 1;
        }

        if (b.Kind == OsvEventKind.Limit && b.Version == "*")
        {
            return -1;
        }

        return comparer.Compare(a.Version, b.Version);
    }

    private static bool IsListed(IReadOnlyList<string> versions, string version, IVersionComparer? comparer)
    {
        var valid = comparer?.IsValid(version) == true;
        foreach (var listed in versions)
        {
            if (listed == version || (valid && comparer!.IsValid(listed) && comparer.Compare(listed, version) == 0))
            {
                return true;
            }
        }

        return false;
    }
}
